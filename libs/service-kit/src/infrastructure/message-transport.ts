import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import { Pool } from 'pg';
import {
  InProcessBus,
  type InProcessBusOptions,
  KafkaInboxConsumer,
  KafkaMessagePublisher,
  migrateInProcessBus,
  type InboxHandler,
  type InboxOutcome,
  type MessagePublisher,
  type ReceivedMessage,
} from '@platform/messaging';
import type { IntegrationEventEnvelope } from '@platform/contracts';
import type { PoolClient } from 'pg';
import type { KafkaConfig } from '../config/service-config';
import type { ReadinessCheckResult } from '../health/readiness-registry';
import type { MetricsService } from '../metrics/metrics.service';

export interface InboxConsumerOptions {
  /** Consumer group (the inbox deduplicates per group). */
  groupId: string;
  topics: string[];
  /** The consuming service's pool: the inbox row and the handler's effect commit together there. */
  pool: Pool;
  handler: InboxHandler;
}

export interface InboxConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * How integration events travel in this process: Kafka when KAFKA_BROKERS is set, else the
 * in-process bus (tables in the embedded database). Relays publish through `publisher`,
 * consumers are made with `consumer`; both count what they do in /metrics.
 */
export interface MessageTransport {
  readonly kind: 'kafka' | 'in-process';
  readonly publisher: MessagePublisher;
  /** Tables the transport keeps in a service's database (the in-process topics). */
  migrate(pool: Pool): Promise<void>;
  consumer(options: InboxConsumerOptions): InboxConsumer;
  /** Undefined when there is nothing outside the database to check. */
  readiness?(): Promise<ReadinessCheckResult>;
  close(): Promise<void>;
}

/** Counts published events per type; the publish itself is the transport's. */
class CountingPublisher implements MessagePublisher {
  constructor(
    private readonly inner: MessagePublisher,
    private readonly published: (type: string, n: number) => void,
  ) {}

  async publish(events: readonly IntegrationEventEnvelope[], tx?: PoolClient): Promise<void> {
    await this.inner.publish(events, tx);
    const byType = new Map<string, number>();
    for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
    for (const [type, n] of byType) this.published(type, n);
  }

  committed(events?: readonly IntegrationEventEnvelope[]): void {
    this.inner.committed?.(events);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function transportMetrics(metrics: MetricsService) {
  const published = metrics.counter({
    name: 'integration_events_published_total',
    help: 'Integration events handed to the transport by relays (at least once: a retried batch counts again)',
    labelNames: ['type'],
  });
  const consumed = metrics.counter({
    name: 'inbox_messages_total',
    help: 'Messages taken from the transport by inbox consumers, by outcome (handled, duplicate, parked, skipped)',
    labelNames: ['consumer', 'topic', 'outcome'],
  });
  return {
    published: (type: string, n: number) => published.inc({ type }, n),
    consumed: (groupId: string) => (outcome: InboxOutcome, m: ReceivedMessage) =>
      consumed.inc({ consumer: groupId, topic: m.topic, outcome }),
  };
}

const messagingLogger = (name: string) => {
  const logger = new Logger(name);
  return { warn: (message: string) => logger.warn(message) };
};

function kafkaLogCreator() {
  const logger = new Logger('kafkajs');
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      if (level === logLevel.ERROR || level === logLevel.NOTHING) logger.error(rest, message);
      else if (level === logLevel.WARN) logger.warn(rest, message);
      else logger.debug?.(rest, message);
    };
}

export class KafkaTransport implements MessageTransport {
  readonly kind = 'kafka' as const;
  readonly publisher: MessagePublisher;
  private readonly kafka: Kafka;
  private readonly kafkaPublisher: KafkaMessagePublisher;
  private readonly count: ReturnType<typeof transportMetrics>;
  private admin?: Admin;
  private adminConnected?: Promise<void>;

  constructor(config: KafkaConfig, metrics: MetricsService) {
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(),
      retry: { retries: 5 },
    });
    this.kafkaPublisher = new KafkaMessagePublisher(this.kafka);
    this.count = transportMetrics(metrics);
    this.publisher = new CountingPublisher(this.kafkaPublisher, this.count.published);
  }

  async migrate(): Promise<void> {
    // Kafka keeps its own state; the inbox tables are migrated by each consuming service.
  }

  consumer(options: InboxConsumerOptions): InboxConsumer {
    return new KafkaInboxConsumer(this.kafka, {
      ...options,
      logger: messagingLogger(`inbox:${options.groupId}`),
      onOutcome: this.count.consumed(options.groupId),
    });
  }

  /** The brokers answer a metadata request (the producer itself connects on its first publish). */
  async readiness(): Promise<ReadinessCheckResult> {
    // No retries here: readiness is asked again soon anyway, and a shutdown must not wait for them.
    this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
    this.adminConnected ??= this.admin.connect().catch((e: unknown) => {
      this.adminConnected = undefined;
      throw e;
    });
    try {
      await this.adminConnected;
      const cluster = await this.admin.describeCluster();
      return { ok: cluster.brokers.length > 0, details: { transport: 'kafka', brokers: cluster.brokers.length } };
    } catch (e) {
      return { ok: false, details: { transport: 'kafka', reason: e instanceof Error ? e.message : String(e) } };
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.adminConnected = undefined;
    await Promise.allSettled([this.kafkaPublisher.close(), admin?.disconnect()]);
  }
}

/**
 * The embedded transport: one bus for the whole process, so a message a relay publishes wakes
 * the consumers of every service at once. It owns a small pool for publishes made outside a
 * relay transaction; relays publish inside their own transaction.
 */
export class InProcessTransport implements MessageTransport {
  readonly kind = 'in-process' as const;
  readonly publisher: MessagePublisher;
  private readonly pool: Pool;
  private readonly bus: InProcessBus;
  private readonly count: ReturnType<typeof transportMetrics>;

  constructor(databaseUrl: string, metrics: MetricsService, busOptions: InProcessBusOptions = {}) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 2, application_name: 'in-process-bus' });
    this.pool.on('error', (e) => new Logger('InProcessTransport').warn(`idle connection failed: ${e.message}`));
    this.bus = new InProcessBus(this.pool, busOptions);
    this.count = transportMetrics(metrics);
    this.publisher = new CountingPublisher(this.bus.publisher, this.count.published);
  }

  migrate(pool: Pool): Promise<void> {
    return migrateInProcessBus(pool);
  }

  consumer(options: InboxConsumerOptions): InboxConsumer {
    return this.bus.consumer({
      ...options,
      logger: messagingLogger(`inbox:${options.groupId}`),
      onOutcome: this.count.consumed(options.groupId),
    });
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.pool.end();
  }
}
