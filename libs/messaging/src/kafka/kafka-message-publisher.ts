import { CompressionTypes, Partitioners, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';
import type { PoolClient } from 'pg';
import {
  integrationEventRegistry,
  toKafkaMessage,
  type IntegrationEventEnvelope,
  type IntegrationEventRegistry,
  type OutgoingKafkaMessage,
} from '@platform/contracts';
import type { MessagePublisher } from '../message-publisher.port';

export interface KafkaMessagePublisherOptions {
  /**
   * Idempotent producer (no duplicates from producer retries). Off by default: kafkajs 2.2.4
   * asks the controller for a producer id, which librdkafka's mock cluster does not offer, and
   * consumers deduplicate by event id anyway. Order holds either way: one request in flight.
   */
  idempotent?: boolean;
  /**
   * Extra kafkajs producer settings. The default retry budget is short (about a second): the
   * relay publishes inside the runner's transaction, and an open transaction holds back every
   * event-store reader (its read horizon), so long waits belong to the runner's backoff, which
   * runs outside the transaction.
   */
  producer?: Omit<ProducerConfig, 'idempotent' | 'maxInFlightRequests' | 'createPartitioner'>;
  compression?: CompressionTypes;
  /** Contracts the events are checked against and take their topic from (default: all of them). */
  registry?: IntegrationEventRegistry;
}

/**
 * Publishes integration events as CloudEvents binary-mode Kafka messages, key = customer id.
 * `acks: -1` (all in-sync replicas) and one request in flight, so a retried request can never
 * overtake a later one and per-key order holds. A failed send rejects after kafkajs' retries;
 * the relay's transaction then rolls back and the runner publishes the batch again.
 */
export class KafkaMessagePublisher implements MessagePublisher {
  private producer?: Producer;
  private connecting?: Promise<Producer>;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaMessagePublisherOptions = {},
  ) {}

  private connected(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 3 },
        ...this.options.producer,
        idempotent: this.options.idempotent ?? false,
        maxInFlightRequests: 1,
        // Java-client compatible murmur2 on the key: the same customer lands on the same partition
        // whichever client produced it.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      try {
        await producer.connect();
      } catch (e) {
        this.connecting = undefined;
        throw e;
      }
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  async publish(events: readonly IntegrationEventEnvelope[], _tx?: PoolClient): Promise<void> {
    if (events.length === 0) return;
    // Encode (and validate against the contracts) before anything leaves the process.
    const byTopic = new Map<string, OutgoingKafkaMessage[]>();
    for (const event of events) {
      const message = toKafkaMessage(event, this.options.registry ?? integrationEventRegistry);
      byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    }
    const producer = await this.connected();
    await producer.sendBatch({
      acks: -1,
      compression: this.options.compression,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
      })),
    });
  }

  async close(): Promise<void> {
    const producer = this.producer ?? (await this.connecting?.catch(() => undefined));
    this.producer = undefined;
    this.connecting = undefined;
    await producer?.disconnect();
  }
}
