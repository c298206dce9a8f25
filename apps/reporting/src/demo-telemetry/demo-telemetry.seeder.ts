import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Topics, type IntegrationEvent } from '@platform/contracts';
import { deterministicUuid, uuidv7, type Clock } from '@platform/core';
import { ConcurrencyError, type EventStore, type NewEvent } from '@platform/event-store';
import { DEMO_PARTNER_ID, EVENT_STORE, SERVICE_CONFIG, ServiceConsumers, type ServiceConfig } from '@platform/service-kit';
import { REPORTING_CLOCK } from '../api-keys/infrastructure/api-keys.tokens';
import { telemetryEvent, telemetryStreamId } from '../telemetry/domain/telemetry.events';
import { SAMPLE_CUSTOMER_DOMAIN, sampleTelemetry } from './sample-telemetry';

export const DEMO_TELEMETRY_GROUP = 'reporting.demo-telemetry';

/**
 * Embedded mode only: when the demo partner's sample customer arrives (its CustomerInvited on
 * customers.events.v1), its telemetry stream gets months of sample history, in one append that
 * expects an empty stream, so a redelivery, a restart or a second process appends nothing more.
 */
@Injectable()
export class DemoTelemetrySeeder implements OnModuleInit {
  private readonly logger = new Logger('reporting.demo-telemetry');

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REPORTING_CLOCK) private readonly clock: Clock,
    private readonly consumers: ServiceConsumers,
  ) {}

  onModuleInit(): void {
    if (this.config.mode !== 'embedded') return;
    // The seed appends through the event store: before the inbox transaction, not inside it.
    this.consumers.add({
      groupId: DEMO_TELEMETRY_GROUP,
      topics: [Topics.customers],
      beforeTransaction: (e) => this.handle(e),
      eventTypes: ['CustomerInvited'],
    });
  }

  async handle(event: IntegrationEvent): Promise<void> {
    if (event.type !== 'CustomerInvited' || event.partnerId !== DEMO_PARTNER_ID || event.data.primaryDomain !== SAMPLE_CUSTOMER_DOMAIN) return;
    await this.seed(event.subject);
  }

  /** Appends the sample history to an empty telemetry stream; false when the stream had events already. */
  async seed(customerId: string): Promise<boolean> {
    const stream = telemetryStreamId(customerId);
    if ((await this.store.streamVersion(stream)) > 0) return false;
    const now = this.clock.now();
    const correlationId = uuidv7();
    const events: NewEvent[] = sampleTelemetry(customerId, now.toISOString().slice(0, 10)).map((r, i) => {
      const { customerId: _customer, ...record } = r.record;
      const e = telemetryEvent(r.kind, record as never);
      return {
        id: deterministicUuid('demo-telemetry', customerId, String(i)),
        type: e.type,
        schemaVersion: 1,
        data: e.data,
        metadata: { partnerId: DEMO_PARTNER_ID, customerId, occurredAt: now.toISOString(), correlationId, actor: { type: 'system', id: 'demo-data' } },
      };
    });
    try {
      await this.store.append(stream, events, { expectedVersion: 'no_stream' });
    } catch (e) {
      if (e instanceof ConcurrencyError) return false;
      throw e;
    }
    this.logger.log({ customerId, events: events.length }, 'sample customer telemetry seeded');
    return true;
  }
}
