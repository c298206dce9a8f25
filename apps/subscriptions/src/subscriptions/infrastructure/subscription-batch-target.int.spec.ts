import type { Pool } from 'pg';
import { FakeClock, uuidv7 } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import { inTransaction, migrateEventStore, migrateProjections, PostgresEventStore, type EventMetadata } from '@platform/event-store';
import { createTestDatabase, testIntegrationEvent, type TestDatabase } from '@platform/testing';
import { CustomerServicesProjection, migrateCustomerServices } from '../projections/customer-services.projection';
import { CustomerServicesQueries } from '../queries/list-customer-services/customer-services.queries';
import type { SubscriptionBatchEditInput } from '../subscription-batch-target';
import { SubscriptionBatchTargetService } from './subscription-batch-target.service';
import { SubscriptionCommandRunner } from './subscription-command-runner';
import { SUBSCRIPTIONS_DIRECTORY_TABLE } from './tokens';

const PARTNER = '01936a2e-0000-7000-8000-000000000001';
const OTHER_PARTNER = '01936a2e-0000-7000-8000-000000000002';

describe('SUBSCRIPTION_BATCH_TARGET: one customer of a batch edit (F13)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let runner: SubscriptionCommandRunner;
  let directory: CustomerDirectory;
  let target: SubscriptionBatchTargetService;
  let projected = 0n;
  const clock = new FakeClock(new Date('2026-03-01T10:00:00.000Z'));
  const projection = new CustomerServicesProjection();

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await migrateCustomerServices(pool);
    store = new PostgresEventStore(pool);
    runner = new SubscriptionCommandRunner(store, clock);
    directory = new CustomerDirectory(pool, { table: SUBSCRIPTIONS_DIRECTORY_TABLE });
    await directory.migrate();
    target = new SubscriptionBatchTargetService(runner, directory, new CustomerServicesQueries(pool), clock);
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

  /** The customers service says so (through the directory's inbox handler). */
  async function customerEvent(customerId: string, type: string, data: object, partnerId = PARTNER): Promise<void> {
    const e = testIntegrationEvent({ type, subject: customerId, partnerId, time: clock.now().toISOString(), data });
    await inTransaction(pool, (tx) => directory.handler(e, tx, { consumer: 't', topic: 't', partition: 0, offset: '0', attempt: 1 }));
  }
  const activeCustomer = async (partnerId = PARTNER): Promise<string> => {
    const id = uuidv7();
    await customerEvent(id, 'InvitationAccepted', { accountType: 'microsoft365-global-admin' }, partnerId);
    return id;
  };

  async function subscription(customerId: string, over: { pooled?: boolean; serviceCode?: string } = {}): Promise<string> {
    const id = uuidv7();
    const meta: EventMetadata = { partnerId: PARTNER, customerId, occurredAt: clock.now().toISOString(), correlationId: uuidv7(), actor: { type: 'user', id: 'u1' } };
    await runner.run(
      id,
      {
        type: 'AddSubscription',
        data: { subscriptionId: id, serviceCode: over.serviceCode ?? 'cloud-backup-m365', plan: 'paid', quantity: 100, termEndsAt: '2027-01-01T00:00:00Z', pooled: over.pooled ?? true },
      },
      meta,
    );
    await project();
    return id;
  }

  const input = (customerId: string, over: Partial<SubscriptionBatchEditInput> = {}): SubscriptionBatchEditInput => ({
    batchId: '01936a2e-0000-7000-8000-0000000000b1',
    partnerId: PARTNER,
    customerId,
    serviceCode: 'cloud-backup-m365',
    changes: { quantity: 250, autoRenew: true },
    metadata: { correlationId: '01936a2e-0000-7000-8000-0000000000b1', actor: { type: 'user', id: 'u9' } },
    ...over,
  });
  const changes = async (id: string) => (await store.readStream(`subscription-${id}`)).filter((e) => e.type === 'SubscriptionChanged');

  it('edits the pooled subscription once: a retry answers succeeded again without a new event', async () => {
    const customerId = await activeCustomer();
    const id = await subscription(customerId);
    expect(await target.applyBatchEdit(input(customerId))).toEqual({ outcome: 'succeeded', subscriptionId: id });
    expect(await target.applyBatchEdit(input(customerId))).toEqual({ outcome: 'succeeded', subscriptionId: id });
    const recorded = await changes(id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].data).toMatchObject({ quantity: 250, autoRenew: true, batchId: '01936a2e-0000-7000-8000-0000000000b1' });
    expect(recorded[0].metadata).toMatchObject({ partnerId: PARTNER, customerId, batchId: '01936a2e-0000-7000-8000-0000000000b1', actor: { type: 'user', id: 'u9' } });

    // Another batch with the same values: nothing to change.
    expect(await target.applyBatchEdit(input(customerId, { batchId: uuidv7() }))).toEqual({ outcome: 'skipped', reason: 'SUBSCRIPTION.NO_CHANGE', subscriptionId: id });
  });

  it('fails with a reason code for customers it may not edit', async () => {
    expect(await target.applyBatchEdit(input(uuidv7()))).toMatchObject({ outcome: 'failed', reason: 'CUSTOMER.NOT_FOUND' });

    const others = await activeCustomer(OTHER_PARTNER);
    expect(await target.applyBatchEdit(input(others))).toMatchObject({ outcome: 'failed', reason: 'CUSTOMER.NOT_FOUND' });

    const invited = uuidv7();
    await customerEvent(invited, 'InvitationRevoked', {});
    expect(await target.applyBatchEdit(input(invited))).toMatchObject({ outcome: 'failed', reason: 'CUSTOMER.NOT_ACTIVE' });

    const managed = await activeCustomer();
    await subscription(managed);
    await customerEvent(managed, 'ManagementModeChanged', { mode: 'customer', previousMode: 'partner' });
    expect(await target.applyBatchEdit(input(managed))).toMatchObject({ outcome: 'failed', reason: 'CUSTOMER.CUSTOMER_MANAGED' });

    const dedicated = await activeCustomer();
    await subscription(dedicated, { pooled: false });
    expect(await target.applyBatchEdit(input(dedicated))).toMatchObject({ outcome: 'failed', reason: 'SUBSCRIPTION.NOT_FOUND' });

    const expiring = await activeCustomer();
    const id = await subscription(expiring);
    clock.set(new Date('2027-01-01T00:00:00.000Z'));
    await runner.run(id, { type: 'ReachTermEnd', data: { termEndsAt: '2027-01-01T00:00:00.000Z' } }, {
      partnerId: PARTNER, customerId: expiring, occurredAt: clock.now().toISOString(), correlationId: uuidv7(), actor: { type: 'system', id: 's' },
    });
    await project();
    expect(await target.applyBatchEdit(input(expiring))).toMatchObject({ outcome: 'failed', reason: 'SUBSCRIPTION.EXPIRED' });
    clock.set(new Date('2026-03-01T10:00:00.000Z'));

    const invalid = await activeCustomer();
    await subscription(invalid);
    expect(await target.applyBatchEdit(input(invalid, { changes: { termEndsAt: '2020-01-01T00:00:00Z' } }))).toMatchObject({
      outcome: 'failed',
      reason: 'SUBSCRIPTION.INVALID_CHANGE',
    });
  });
});
