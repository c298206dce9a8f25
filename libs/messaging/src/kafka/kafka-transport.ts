import type { ConsumerConfig, Kafka } from 'kafkajs';
import type { IntegrationEvent, IntegrationEventEnvelope, IntegrationEventRegistry } from '@platform/contracts';
import { KafkaInboxConsumer } from '../inbox/kafka-inbox-consumer';
import type { InboxConsumer, InboxConsumerOptions, MessageTransport } from '../message-transport';
import { KafkaMessagePublisher, type KafkaMessagePublisherOptions } from './kafka-message-publisher';

export interface KafkaTransportOptions {
  publisher?: KafkaMessagePublisherOptions;
  /** kafkajs consumer settings every consumer of this transport gets (session timeout, retry, …). */
  consumer?: Omit<ConsumerConfig, 'groupId'>;
  registry?: IntegrationEventRegistry;
}

/** Kafka as a MessageTransport: one producer for the relay, a consumer group member per inbox consumer. */
export class KafkaTransport implements MessageTransport {
  readonly publisher: KafkaMessagePublisher;
  private readonly consumers = new Set<InboxConsumer>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaTransportOptions = {},
  ) {
    this.publisher = new KafkaMessagePublisher(kafka, { registry: options.registry, ...options.publisher });
  }

  consumer<TEvent extends IntegrationEventEnvelope = IntegrationEvent>(options: InboxConsumerOptions<TEvent>): InboxConsumer {
    const consumer = new KafkaInboxConsumer<TEvent>(this.kafka, {
      registry: this.options.registry,
      consumer: this.options.consumer,
      ...options,
    });
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
    await this.publisher.close();
  }
}
