import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { IntegrationEvent, IntegrationEventEnvelope } from '@platform/contracts';
import type { InboxConsumer, InboxConsumerOptions } from '../message-transport';
import { InboxProcessor, type ReceivedMessage } from './inbox-processor';

export interface KafkaInboxConsumerOptions<TEvent extends IntegrationEventEnvelope = IntegrationEvent>
  extends InboxConsumerOptions<TEvent> {
  /** Where a group without committed offsets starts (default: the beginning). */
  fromBeginning?: boolean;
  /** Extra kafkajs consumer settings (session timeout, retry, …). */
  consumer?: Omit<ConsumerConfig, 'groupId'>;
  /** Partitions worked on at once (default 1); order within a partition always holds. */
  partitionsConsumedConcurrently?: number;
}

/**
 * A Kafka consumer group member that feeds every message through the inbox: its effect and its
 * event id commit in one database transaction, and only then is the Kafka offset committed. A
 * crash in between redelivers the message, which the inbox recognises and skips.
 */
export class KafkaInboxConsumer<TEvent extends IntegrationEventEnvelope = IntegrationEvent> implements InboxConsumer {
  private consumer?: Consumer;
  private readonly processor: InboxProcessor<TEvent>;
  private abort = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaInboxConsumerOptions<TEvent>,
  ) {
    this.processor = new InboxProcessor<TEvent>({ ...options, consumer: options.groupId });
  }

  async start(): Promise<void> {
    if (this.consumer) throw new Error(`consumer ${this.options.groupId} already started`);
    this.abort = new AbortController();
    // A short fetch wait: a broker that holds an empty fetch for kafkajs's default 5 s (librdkafka's
    // mock cluster does) would otherwise add up to 5 s to a message that arrives meanwhile.
    const consumer = this.kafka.consumer({ maxWaitTimeInMs: 100, ...this.options.consumer, groupId: this.options.groupId });
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    } catch (e) {
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw e;
    }
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const received: ReceivedMessage = {
          topic,
          partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers,
        };
        // Throws only if the database fails or we are stopping: kafkajs then seeks back and the
        // message comes again, so nothing is committed past it.
        const outcome = await this.processor.process(received, {}, { signal: this.abort.signal, beforeRetry: heartbeat });
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        this.options.onOutcome?.(outcome, received);
      },
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }
}
