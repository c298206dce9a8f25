import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ServiceConfig } from '../config/service-config';
import { ReadinessRegistry } from '../health/readiness-registry';
import { MetricsService } from '../metrics/metrics.service';
import { SERVICE_CONFIG } from '../runtime/tokens';
import { InProcessTransport, KafkaTransport, type MessageTransport } from './message-transport';
import { MESSAGE_TRANSPORT } from './tokens';

const EXCLUSIVE_POLL_INTERVAL_MS = 1000;

/** Kafka when KAFKA_BROKERS is set, otherwise the in-process bus; one per process. */
export function createMessageTransport(config: ServiceConfig, metrics: MetricsService): MessageTransport {
  if (config.kafka) return new KafkaTransport(config.kafka, metrics);
  if (!config.databaseUrl) throw new Error('the in-process transport needs DATABASE_URL (or the embedded database)');
  // Alone on its database, the bus hears of every publish: the poll is only a safety net.
  return new InProcessTransport(config.databaseUrl, metrics, config.embeddedDatabase ? { pollIntervalMs: EXCLUSIVE_POLL_INTERVAL_MS } : {});
}

@Global()
@Module({
  providers: [
    {
      provide: MESSAGE_TRANSPORT,
      inject: [SERVICE_CONFIG, MetricsService],
      useFactory: createMessageTransport,
    },
  ],
  exports: [MESSAGE_TRANSPORT],
})
export class MessageTransportModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MESSAGE_TRANSPORT) private readonly transport: MessageTransport,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const check = this.transport.readiness?.bind(this.transport);
    if (check) this.readiness.add({ name: 'messaging', check });
  }

  /** Last phase of shutdown: every relay and consumer stopped in an earlier one. */
  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}
