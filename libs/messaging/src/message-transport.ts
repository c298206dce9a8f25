import type { IntegrationEvent, IntegrationEventEnvelope } from '@platform/contracts';
import type { InboxOutcome, InboxProcessorOptions, ReceivedMessage } from './inbox/inbox-processor';
import type { MessagePublisher } from './message-publisher.port';

/** What a service asks for when it consumes integration events, whichever transport runs. */
export interface InboxConsumerOptions<TEvent extends IntegrationEventEnvelope = IntegrationEvent>
  extends Omit<InboxProcessorOptions<TEvent>, 'consumer'> {
  /** Consumer group; also the inbox's consumer name (deduplication is per group). */
  groupId: string;
  topics: string[];
  /** Called after each message's outcome is final (metrics, tests). */
  onOutcome?(outcome: InboxOutcome, message: ReceivedMessage): void;
}

export interface InboxConsumer {
  start(): Promise<void>;
  /** Finishes or abandons the current message (it comes again) and stops. */
  stop(): Promise<void>;
}

/**
 * A transport as services see it: a publisher for their relay and inbox consumers for their
 * handlers. Kafka (`KafkaTransport`) in standalone mode, `InProcessBus` in embedded mode.
 */
export interface MessageTransport {
  readonly publisher: MessagePublisher;
  consumer<TEvent extends IntegrationEventEnvelope = IntegrationEvent>(options: InboxConsumerOptions<TEvent>): InboxConsumer;
  close(): Promise<void>;
}
