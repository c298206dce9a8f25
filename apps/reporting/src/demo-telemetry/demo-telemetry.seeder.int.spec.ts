import type { Pool } from 'pg';
import { FakeClock } from '@platform/core';
import { migrateEventStore, PostgresEventStore } from '@platform/event-store';
import { DEMO_PARTNER_ID, type ServiceConfig, type ServiceConsumers } from '@platform/service-kit';
import type { IntegrationEvent } from '@platform/contracts';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { telemetryStreamId } from '../telemetry/domain/telemetry.events';
import { DemoTelemetrySeeder } from './demo-telemetry.seeder';
import { SAMPLE_CUSTOMER_DOMAIN } from './sample-telemetry';

const SAMPLE = '0192e5f0-0000-7000-8000-00000000c0de';
const OTHER = '0192e5f0-0000-7000-8000-00000000c0df';

const invited = (customerId: string, partnerId: string, primaryDomain: string) =>
  ({
    id: customerId, type: 'CustomerInvited', version: 1, source: '/msp-platform/customers', time: '2026-01-01T00:00:00.000Z', subject: customerId, partnerId,
    correlationId: customerId, actor: { type: 'system', id: 'demo' },
    data: { organizationName: 'Contoso Healthcare', primaryDomain, countryCode: 'US', accountType: 'microsoft365-global-admin', tags: [], invitation: {} },
  }) as unknown as IntegrationEvent;

describe('demo telemetry seeder', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    store = new PostgresEventStore(pool);
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('gives the demo partner’s sample customer months of telemetry once, whatever is redelivered; nobody else gets any', async () => {
    const registered: string[] = [];
    const consumers = { add: (r: { groupId: string }) => registered.push(r.groupId) } as unknown as ServiceConsumers;
    const seeder = new DemoTelemetrySeeder({ mode: 'embedded' } as ServiceConfig, store, new FakeClock(new Date('2026-05-10T12:00:00Z')), consumers);
    seeder.onModuleInit();
    expect(registered).toEqual(['reporting.demo-telemetry']);
    await Promise.all([seeder.handle(invited(SAMPLE, DEMO_PARTNER_ID, SAMPLE_CUSTOMER_DOMAIN)), seeder.handle(invited(SAMPLE, DEMO_PARTNER_ID, SAMPLE_CUSTOMER_DOMAIN))]);
    const events = await store.readStream(telemetryStreamId(SAMPLE));
    expect(events.length).toBeGreaterThan(1000);
    expect(new Set(events.map((e) => e.type)).size).toBe(7);
    expect(events.every((e) => e.metadata.partnerId === DEMO_PARTNER_ID && e.metadata.customerId === SAMPLE)).toBe(true);
    await seeder.handle(invited(SAMPLE, DEMO_PARTNER_ID, SAMPLE_CUSTOMER_DOMAIN));
    expect(await store.streamVersion(telemetryStreamId(SAMPLE))).toBe(events.length);

    await seeder.handle(invited(OTHER, DEMO_PARTNER_ID, 'fabrikam.co.uk'));
    await seeder.handle(invited(OTHER, '0192e5f0-0000-7000-8000-000000000099', SAMPLE_CUSTOMER_DOMAIN));
    expect(await store.streamVersion(telemetryStreamId(OTHER))).toBe(0);

    const standalone = new DemoTelemetrySeeder({ mode: 'standalone' } as ServiceConfig, store, new FakeClock(), consumers);
    standalone.onModuleInit();
    expect(registered).toHaveLength(1);
  });
});
