import type { PoolClient } from 'pg';
import type { IntegrationEventEnvelope } from '@platform/contracts';

/**
 * Where integration events go. Adapters: Kafka (kafkajs) and the in-process bus (embedded
 * mode), so a service's relay does not care which one runs. The topic and the message key
 * (customer id) follow from the event's contract (`toKafkaMessage`).
 */
export interface MessagePublisher {
  /**
   * Resolves once every event is durably accepted, in the given order per key; rejects when
   * any may not have been (then the caller publishes them all again). `tx` is the caller's
   * transaction: the in-process bus writes into it, so the events commit with the relay
   * checkpoint; Kafka cannot take part in it and ignores it.
   */
  publish(events: readonly IntegrationEventEnvelope[], tx?: PoolClient): Promise<void>;
  /**
   * The transaction given to `publish` has committed: its `events` are now readable (the
   * in-process bus wakes the consumers of their topics; without `events`, every consumer).
   */
  committed?(events?: readonly IntegrationEventEnvelope[]): void;
  close(): Promise<void>;
}
