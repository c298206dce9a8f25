import type { Pool } from 'pg';
import { FakeClock, uuidv7 } from '@platform/core';
import { toKafkaMessage, type IntegrationEvent } from '@platform/contracts';
import { inTransaction, migrateEventStore, migrateProjections, PostgresEventStore, type EventMetadata } from '@platform/event-store';
import { InboxProcessor, migrateInbox } from '@platform/messaging';
import { createTestDatabase, testIntegrationEvent, type TestDatabase } from '@platform/testing';
import { CustomerServicesProjection, migrateCustomerServices } from '../projections/customer-services.projection';
import { CustomerServicesQueries } from '../queries/list-customer-services/customer-services.queries';
import { CUSTOMER_LIFECYCLE_GROUP, customerLifecycleHandler } from './customer-lifecycle.consumer';
import { SubscriptionCommandRunner } from './subscription-command-runner';

const PARTNER = '01936a2e-0000-7000-8000-000000000001';

describe('customer lifecycle consumer (customers.events.v1 → stop provisioning)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let runner: SubscriptionCommandRunner;
  let inbox: InboxProcessor;
  let projected = 0n;
  let offset = 0;
  const clock = new FakeClock(new Date('2026-03-01T10:00:00.000Z'));
  const projection = new CustomerServicesProjection();

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await migrateInbox(pool);
    await migrateCustomerServices(pool);
    store = new PostgresEventStore(pool);
    runner = new SubscriptionCommandRunner(store, clock);
    inbox = new InboxProcessor({
      consumer: CUSTOMER_LIFECYCLE_GROUP,
      pool,
      handler: async () => undefined,
      beforeTransaction: customerLifecycleHandler(runner, new CustomerServicesQueries(pool)),
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
  });

  async function project(): Promise<void> {
    const { events, position } = await store.readAll({ after: projected, filter: { categories: ['subscription'] } });
    if (events.length > 0) await inTransaction(pool, (tx) => projection.handle(events, tx));
    projected = position;
  }

  /** A customer with one subscription whose provisioning is in progress (as the start handler leaves it). */
  async function provisioning(customerId: string, serviceCode = 'cloud-backup-m365'): Promise<string> {
    const id = uuidv7();
    const meta: EventMetadata = { partnerId: PARTNER, customerId, occurredAt: clock.now().toISOString(), correlationId: uuidv7(), actor: { type: 'user', id: 'u1' } };
    await runner.run(
      id,
      { type: 'AddSubscription', data: { subscriptionId: id, serviceCode, plan: 'paid', quantity: 5, termEndsAt: '2027-01-01T00:00:00Z', pooled: false } },
      meta,
    );
    await runner.runProvisioning(id, { type: 'RequestProvisioning', data: { provisioningId: uuidv7() } }, meta);
    await project();
    return id;
  }

  const event = (customerId: string, type: 'ManagementModeChanged' | 'CustomerDisconnected' | 'CustomerTagsChanged'): IntegrationEvent =>
    testIntegrationEvent({
      type,
      subject: customerId,
      partnerId: PARTNER,
      time: clock.now().toISOString(),
      data: type === 'ManagementModeChanged' ? { mode: 'customer', previousMode: 'partner' } : type === 'CustomerTagsChanged' ? { tags: ['x'] } : {},
    });

  const deliver = (e: IntegrationEvent) => inbox.process({ ...toKafkaMessage(e), partition: 0, offset: String(offset++) });

  const provisioningOf = async (id: string) => (await runner.load(id)).state.provisioning;
  const failures = async (id: string) =>
    (await store.readStream(`subscription-${id}`)).filter((e) => e.type === 'ServiceProvisioningFailed').map((e) => e.data);

  it('stops what is in progress for the customer once, whatever is redelivered', async () => {
    const customer = uuidv7();
    const a = await provisioning(customer, 'cloud-backup-m365');
    const b = await provisioning(customer, 'policies-m365');
    const other = await provisioning(uuidv7());

    const modeChanged = event(customer, 'ManagementModeChanged');
    expect(await deliver(modeChanged)).toBe('handled');
    expect(await deliver(modeChanged)).toBe('duplicate');
    // Even past the inbox (another consumer group reprocessing, a replay), the handler stops nothing twice.
    await customerLifecycleHandler(runner, new CustomerServicesQueries(pool))(modeChanged, { consumer: 'x', topic: 't', partition: 0, offset: '0', attempt: 1 });

    for (const id of [a, b]) {
      expect(await provisioningOf(id)).toMatchObject({ state: 'failed', errorCode: 'PROVISIONING.CUSTOMER_MANAGED' });
      expect(await failures(id)).toHaveLength(1);
    }
    expect((await provisioningOf(other)).state).toBe('in-progress');
  });

  it('applies events of several customers delivered out of order between customers, each to its own customer', async () => {
    const c1 = uuidv7();
    const c2 = uuidv7();
    const c3 = uuidv7();
    const s1 = await provisioning(c1);
    const s2 = await provisioning(c2);
    const s3 = await provisioning(c3);

    // c2's disconnection arrives before c1's mode change (other partitions), then something irrelevant for c3.
    expect(await deliver(event(c2, 'CustomerDisconnected'))).toBe('handled');
    expect(await deliver(event(c3, 'CustomerTagsChanged'))).toBe('handled');
    expect(await deliver(event(c1, 'ManagementModeChanged'))).toBe('handled');

    expect(await provisioningOf(s1)).toMatchObject({ state: 'failed', errorCode: 'PROVISIONING.CUSTOMER_MANAGED' });
    expect(await provisioningOf(s2)).toMatchObject({ state: 'failed', errorCode: 'PROVISIONING.CUSTOMER_DISCONNECTED' });
    expect((await provisioningOf(s3)).state).toBe('in-progress');

    // A stop for a customer with nothing in progress (any more) writes nothing.
    await project();
    const before = (await store.readAll({ filter: { categories: ['subscription'] } })).events.length;
    expect(await deliver(event(c1, 'CustomerDisconnected'))).toBe('handled');
    expect((await store.readAll({ filter: { categories: ['subscription'] } })).events.length).toBe(before);
  });
});
