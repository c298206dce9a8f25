import type { Pool } from 'pg';
import type { IntegrationEvent } from '@platform/contracts';
import { inTransaction } from '@platform/event-store';
import { CustomerDirectory } from '@platform/customer-directory';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { migrateReports } from '../../reports/infrastructure/reports.schema';
import { readDashboard } from '../queries/get-dashboard/dashboard-read-model';
import { forgetDisconnectedCustomer } from './customer-disconnections.consumer';
import { migrateDashboard } from './dashboard.schema';
import { applySubscriptionFact } from './subscription-facts.consumer';

const C = '0192e5f0-0000-7000-8000-00000000c001';
const S1 = '0192e5f0-0000-7000-8000-0000000005a1';
const S2 = '0192e5f0-0000-7000-8000-0000000005a2';
let n = 0;
const event = (type: string, time: string, data: Record<string, unknown>): IntegrationEvent =>
  ({ id: `0192e5f0-0000-7000-8000-${String(++n).padStart(12, '0')}`, type, version: 1, source: '/msp-platform/subscriptions', time, subject: C, partnerId: 'p', correlationId: 'c', actor: { type: 'user', id: 'u' }, data }) as unknown as IntegrationEvent;
const sub = (subscriptionId: string, serviceCode: string, over: Record<string, unknown> = {}) => ({
  subscriptionId, serviceCode, plan: 'paid', quantity: 10, unit: 'seats', termEndsAt: '2027-01-01T00:00:00.000Z', pooled: false, ...over,
});

describe('products & subscriptions facts (subscriptions.events.v1 consumer)', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateDashboard(pool);
    await migrateReports(pool); // the dashboard read includes the reports feature's activity
    await directory(pool).migrate();
  });
  const directory = (p: Pool) => new CustomerDirectory(p, { table: 'reporting_customer_directory' });
  afterAll(() => db.close());

  const apply = (e: IntegrationEvent) => inTransaction(pool, (tx) => applySubscriptionFact(e, tx));
  const facts = async () => {
    const m = await readDashboard(pool, directory(pool), 'p', C, new Date(0));
    return { subs: [...m.subscriptions].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId)), services: m.serviceStates };
  };

  it('adds, edits, expires and starts services; late or repeated events do not go backwards', async () => {
    await apply(event('ServicesAdded', '2026-05-01T00:00:00.000Z', { subscriptions: [sub(S1, 'cloud-backup-m365'), sub(S2, 'policies-m365', { plan: 'trial', termEndsAt: '2026-05-20T00:00:00.000Z' })] }));
    const edit = event('SubscriptionChanged', '2026-05-02T00:00:00.000Z', sub(S1, 'cloud-backup-m365', { quantity: 25 }));
    await apply(edit);
    await apply(event('SubscriptionChanged', '2026-05-01T12:00:00.000Z', sub(S1, 'cloud-backup-m365', { quantity: 5 }))); // older: ignored
    await apply(event('SubscriptionExpired', '2026-05-20T00:00:00.000Z', { subscriptionId: S2, serviceCode: 'policies-m365' }));
    await apply(event('ServiceProvisioningFailed', '2026-05-03T00:00:00.000Z', { provisioningId: 'x', serviceCode: 'cloud-backup-m365', errorCode: 'PROVISIONING.CONSENT_MISSING', retryable: true }));
    await apply(event('ServicesStarted', '2026-05-04T00:00:00.000Z', { provisioningId: 'y', services: [{ serviceCode: 'cloud-backup-m365', state: 'started' }] }));
    await apply(event('ServiceProvisioningFailed', '2026-05-05T00:00:00.000Z', { provisioningId: 'z', serviceCode: 'cloud-backup-m365', errorCode: 'PROVISIONING.X', retryable: true }));
    const { subs, services } = await facts();
    expect(subs.map((s) => [s.subscriptionId, s.quantity, s.plan, s.expired])).toEqual([
      [S1, 25, 'paid', false],
      [S2, 10, 'trial', true],
    ]);
    expect(services).toEqual({ 'cloud-backup-m365': 'started' }); // a later failed retry does not undo a started service
    // Renewed past its term end: current again.
    await apply(event('SubscriptionChanged', '2026-05-21T00:00:00.000Z', sub(S2, 'policies-m365', { plan: 'paid', termEndsAt: '2027-05-21T00:00:00.000Z' })));
    expect((await facts()).subs[1]).toMatchObject({ plan: 'paid', expired: false });
  });

  it('forgets a disconnected customer', async () => {
    await inTransaction(pool, (tx) => forgetDisconnectedCustomer(event('CustomerDisconnected', '2026-06-01T00:00:00.000Z', {}), tx));
    expect(await facts()).toEqual({ subs: [], services: {} });
  });
});
