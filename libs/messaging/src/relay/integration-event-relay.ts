import type { PoolClient } from 'pg';
import type { LogFilter, Projection, RecordedEvent } from '@platform/event-store';
import type { IntegrationEventEnvelope } from '@platform/contracts';
import type { MessagePublisher } from '../message-publisher.port';

/** Turns one domain event into the integration events it announces (often one, sometimes none). */
export type IntegrationEventMapper = (
  event: RecordedEvent,
) => IntegrationEventEnvelope | readonly IntegrationEventEnvelope[] | null | undefined;

export interface IntegrationEventRelayOptions {
  /** Projection name, e.g. `customers.integration-relay`; its checkpoint is keyed by it. */
  name: string;
  /** The producing service's categories / event types. The topic follows from each event's contract. */
  filter: LogFilter;
  map: IntegrationEventMapper;
  publisher: MessagePublisher;
  /** Events per transaction = per publish call (default 100). */
  batchSize?: number;
}

/**
 * Event log → integration events, as a projection: the runner supplies the checkpoint, the
 * one-runner-per-name lock and the retries. `handle` awaits the publish inside the runner's
 * transaction, so the checkpoint only commits after the broker acknowledged; a failed publish
 * rolls the transaction back and the runner tries the batch again. A crash between the ack and
 * the commit publishes the batch twice: delivery is at least once and consumers deduplicate by
 * event id (see InboxProcessor).
 */
export class IntegrationEventRelay implements Projection {
  readonly name: string;
  readonly filter: LogFilter;
  readonly batchSize: number;
  /** What the latest `handle` published; its transaction is the one `afterCommit` reports. */
  private published: readonly IntegrationEventEnvelope[] = [];

  constructor(private readonly options: IntegrationEventRelayOptions) {
    this.name = options.name;
    this.filter = options.filter;
    this.batchSize = options.batchSize ?? 100;
  }

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const envelopes: IntegrationEventEnvelope[] = [];
    for (const event of events) {
      const mapped = this.options.map(event);
      if (!mapped) continue;
      if (isList(mapped)) envelopes.push(...mapped);
      else envelopes.push(mapped);
    }
    this.published = envelopes;
    if (envelopes.length > 0) await this.options.publisher.publish(envelopes, tx);
  }

  afterCommit(): void {
    const published = this.published;
    this.published = [];
    if (published.length > 0) this.options.publisher.committed?.(published);
  }
}

function isList(
  mapped: IntegrationEventEnvelope | readonly IntegrationEventEnvelope[],
): mapped is readonly IntegrationEventEnvelope[] {
  return Array.isArray(mapped);
}

/**
 * Runner settings for a relay (pass as ProjectionRunner `options`). A relay must never park: a
 * parked event is one that no consumer ever gets, and skipping it breaks per-customer order.
 * The runner counts a failed publish (broker unreachable) like a handler bug, so with its
 * default of 5 tries a short Kafka outage would park events; with this the relay keeps trying,
 * lag grows and the runner's status reports the error. The same holds for a mapping or contract
 * bug: the relay stops at that event until the code is fixed, loudly, instead of dropping it.
 */
export const RELAY_RUNNER_OPTIONS = {
  maxAttempts: Number.MAX_SAFE_INTEGER,
  backoff: { initialMs: 200, maxMs: 30_000 },
} as const;
