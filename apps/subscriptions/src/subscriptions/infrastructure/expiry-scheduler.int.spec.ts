import type { Pool } from 'pg';
import { FakeClock } from '@platform/core';
import { inTransaction, migrateEventStore, migrateProjections, PostgresEventStore, type EventMetadata } from '@platform/event-store';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomerServicesProjection, migrateCustomerServices } from '../projections/customer-services.projection';
import { ExpiryScheduler, type SchedulerTimers } from './expiry-scheduler';
import { SubscriptionCommandRunner } from './subscription-command-runner';

const PARTNER = '01936a2e-0000-7000-8000-000000000001';
const CUSTOMER = '01936a2e-0000-7000-8000-0000000000c1';
const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-03-01T10:00:00.000Z');

/** Timers that only fire when the test says so; they record what was armed. */
class FakeTimers implements SchedulerTimers {
  private next = 1;
  readonly armed = new Map<number, { callback: () => void; ms: number }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.armed.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.armed.delete(handle as number);
  }
  /** The one armed timer's delay. */
  get delay(): number | undefined {
    const all = [...this.armed.values()];
    expect(all.length).toBeLessThanOrEqual(1);
    return all[0]?.ms;
  }
  fire(): void {
    const all = [...this.armed.entries()];
    this.armed.clear();
    for (const [, t] of all) t.callback();
  }
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met');
}

describe('expiry scheduler (F11) on PostgreSQL with a fake clock', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let clock: FakeClock;
  let runner: SubscriptionCommandRunner;
  let projected = 0n;
  const notified: Date[] = [];
  const projection = new CustomerServicesProjection((d) => notified.push(d));

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await migrateCustomerServices(pool);
    store = new PostgresEventStore(pool);
    clock = new FakeClock(T0);
    runner = new SubscriptionCommandRunner(store, clock);
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
  });

  /** Runs the customer-services projection over what the log has now (as its runner would). */
  async function project(): Promise<void> {
    const { events, position } = await store.readAll({ after: projected, filter: { categories: ['subscription'] } });
    if (events.length > 0) await inTransaction(pool, (tx) => projection.handle(events, tx));
    projected = position;
  }

  const meta = (): EventMetadata => ({
    partnerId: PARTNER,
    customerId: CUSTOMER,
    occurredAt: clock.now().toISOString(),
    correlationId: '01936a2e-0000-7000-8000-00000000cc01',
    actor: { type: 'user', id: 'u1' },
  });

  async function addSubscription(id: string, termEndsAt: Date, autoRenew = false): Promise<void> {
    await runner.run(
      id,
      {
        type: 'AddSubscription',
        data: { subscriptionId: id, serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 5, termEndsAt: termEndsAt.toISOString(), pooled: true, autoRenew },
      },
      meta(),
    );
    await project();
  }

  const typesOf = async (id: string): Promise<string[]> => (await store.readStream(`subscription-${id}`)).map((e) => e.type);

  it('arms one timer for the earliest term end, re-arms for an earlier one, and expires at the term end', async () => {
    const A = '01936a2e-0000-7000-8000-0000000000a1';
    const B = '01936a2e-0000-7000-8000-0000000000a2';
    await addSubscription(A, new Date(T0.getTime() + 10 * DAY));
    const timers = new FakeTimers();
    const scheduler = new ExpiryScheduler(pool, runner, clock, timers, { maxSleepMs: 365 * DAY });
    await scheduler.start();
    expect(timers.delay).toBe(10 * DAY);

    // A subscription ending sooner: the projection tells the scheduler, which re-arms earlier.
    await addSubscription(B, new Date(T0.getTime() + 3 * DAY));
    scheduler.notify(notified[notified.length - 1]);
    expect(timers.delay).toBe(3 * DAY);
    // A later one does not move the timer.
    scheduler.notify(new Date(T0.getTime() + 20 * DAY));
    expect(timers.delay).toBe(3 * DAY);

    // Nothing is due before its time.
    clock.set(new Date(T0.getTime() + 3 * DAY - 1));
    expect(await scheduler.runDue()).toBe(0);

    clock.set(new Date(T0.getTime() + 3 * DAY));
    timers.fire();
    await waitUntil(async () => (await typesOf(B)).includes('SubscriptionExpired'));
    await waitUntil(async () => timers.delay !== undefined);
    expect(await typesOf(A)).toEqual(['ServicesAdded']);
    // Next wake-up: A's term end.
    expect(timers.delay).toBe(7 * DAY);
    await scheduler.stop();
    expect(timers.armed.size).toBe(0);
  });

  it('after a restart a new scheduler picks up what fell due while it was down, once', async () => {
    const C = '01936a2e-0000-7000-8000-0000000000a3';
    const R = '01936a2e-0000-7000-8000-0000000000a4';
    clock.set(T0);
    await addSubscription(C, new Date(T0.getTime() + 30 * DAY));
    await addSubscription(R, new Date(T0.getTime() + 30 * DAY), true);
    await project();

    // Down for 40 days (A's term end at day 10 passes too).
    clock.set(new Date(T0.getTime() + 40 * DAY));
    const timers = new FakeTimers();
    const restarted = new ExpiryScheduler(pool, runner, clock, timers, { maxSleepMs: 365 * DAY });
    await restarted.start();
    expect(await typesOf(C)).toEqual(['ServicesAdded', 'SubscriptionExpired']);
    expect(await typesOf('01936a2e-0000-7000-8000-0000000000a1')).toEqual(['ServicesAdded', 'SubscriptionExpired']);
    // Auto-renewal: a new term, and a new due time from the projection.
    expect(await typesOf(R)).toEqual(['ServicesAdded', 'SubscriptionRenewed']);
    await project();
    const { rows } = await pool.query<{ due_at: Date }>('SELECT due_at FROM subscriptions_expiry_schedule WHERE subscription_id = $1', [R]);
    expect(new Date(rows[0].due_at).toISOString()).toBe(new Date(T0.getTime() + 60 * DAY).toISOString());
    await restarted.stop();

    // The schedule rows come back (a crash before they were deleted, a replayed projection):
    // another instance answers them without expiring anything twice.
    await pool.query(
      `INSERT INTO subscriptions_expiry_schedule (subscription_id, due_at) VALUES ($1, $2) ON CONFLICT (subscription_id) DO UPDATE SET due_at = EXCLUDED.due_at`,
      [C, new Date(T0.getTime() + 30 * DAY)],
    );
    const again = new ExpiryScheduler(pool, runner, clock, new FakeTimers(), { maxSleepMs: 365 * DAY });
    await again.start();
    expect(await again.runDue()).toBe(0);
    await again.stop();
    expect(await typesOf(C)).toEqual(['ServicesAdded', 'SubscriptionExpired']);
    const { rows: left } = await pool.query('SELECT 1 FROM subscriptions_expiry_schedule WHERE subscription_id = $1', [C]);
    expect(left).toHaveLength(0);
  });

  it('never sleeps longer than its longest sleep, however far the next term end', async () => {
    const timers = new FakeTimers();
    const scheduler = new ExpiryScheduler(pool, runner, clock, timers, { maxSleepMs: 60_000 });
    await scheduler.start();
    expect(timers.delay).toBeLessThanOrEqual(60_000);
    scheduler.notify(new Date(clock.now().getTime() + 400 * DAY));
    expect(timers.delay).toBeLessThanOrEqual(60_000);
    await scheduler.stop();
  });

  it('two schedulers at the same term end record one expiry (deterministic event id, expected version)', async () => {
    const D = '01936a2e-0000-7000-8000-0000000000a5';
    clock.set(T0);
    await addSubscription(D, new Date(T0.getTime() + 50 * DAY));
    clock.set(new Date(T0.getTime() + 50 * DAY));
    const one = new ExpiryScheduler(pool, runner, clock, new FakeTimers());
    const two = new ExpiryScheduler(pool, runner, clock, new FakeTimers());
    await Promise.all([one.runDue(), two.runDue()]);
    expect((await typesOf(D)).filter((t) => t === 'SubscriptionExpired')).toHaveLength(1);
  });
});
