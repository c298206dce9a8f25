import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { startEmbeddedSystem, type EmbeddedSystem } from '../../../../deploy/embedded/embedded-system';
import { freePort, startTestSystem, TEST_JWT_SECRET, type TestSystem } from '../../../../deploy/embedded/testing/embedded-test-system';
import { ServiceBatchRunner } from './infrastructure/service-batch-runner';
import { SERVICE_BATCH_RUNS_TABLE } from './projections/service-batch-runs.projection';
import { BATCH_SERVICE, bodyOf, completedBatch, customerWithPooledService, editsPerCustomer, getBatch, startBatch } from './testing/service-batches-e2e';

/**
 * F13: a batch runs to the end on the server. Here the system is stopped in the middle of a
 * batch (customers' edits are held by row locks on their subscription streams, so the runner is
 * caught mid-way), then a new system is started on the same database: it picks the batch up from
 * the runs table and finishes it, and every customer is edited exactly once.
 */
describe('F13 batch edit across a restart', () => {
  let ts: TestSystem;
  let second: EmbeddedSystem | undefined;
  let secondDataDir: string | undefined;
  const lock = { client: undefined as Client | undefined };

  beforeAll(async () => {
    ts = await startTestSystem();
  });
  afterAll(async () => {
    await lock.client?.end().catch(() => undefined);
    await second?.stop();
    if (secondDataDir) rmSync(secondDataDir, { recursive: true, force: true });
    await ts?.stop();
  });

  const succeededEvents = async (batchId: string): Promise<Record<string, number>> => {
    const { rows } = await ts.pool.query<{ customer_id: string; n: number }>(
      `SELECT data->>'customerId' AS customer_id, count(*)::int AS n FROM events
       WHERE stream_id = $1 AND type = 'ServiceBatchCustomerSucceeded' GROUP BY 1`,
      [`batch-${batchId}`],
    );
    return Object.fromEntries(rows.map((r) => [r.customer_id, r.n]));
  };

  it('resumes an interrupted batch on the next start without editing any customer twice', async () => {
    const admin = ts.partnerA.users['global-admin'].token;
    const customers: Array<{ customerId: string; subscriptionId: string }> = [];
    for (let i = 0; i < 20; i++) customers.push(await customerWithPooledService(ts, admin, 100));
    const customerIds = customers.map((c) => c.customerId);

    // Hold the subscription streams of all but the first two customers: their edits wait for this
    // transaction, so the runner's workers all end up waiting on one of them.
    lock.client = new Client({ connectionString: ts.database.connectionString });
    await lock.client.connect();
    await lock.client.query('BEGIN');
    const held = await lock.client.query('SELECT 1 FROM streams WHERE stream_id = ANY($1::text[]) FOR UPDATE', [
      customers.slice(2).map((c) => `subscription-${c.subscriptionId}`),
    ]);
    expect(held.rowCount).toBe(18);

    const res = await startBatch(ts, admin, { serviceCode: BATCH_SERVICE, changes: { quantity: 500 }, customerIds });
    expect(res.status).toBe(202);
    const { id } = bodyOf<{ id: string }>(res);

    // The first customers get their results; then the runner waits on held customers.
    const deadline = Date.now() + 20_000;
    while ((await getBatch(ts, admin, id)).progress.done === 0) {
      if (Date.now() > deadline) throw new Error('no customer of the batch got a result');
      await new Promise((r) => setTimeout(r, 20));
    }

    // Stop the system; once its runner has stopped taking work, release the held customers.
    const runner = ts.system.app.get(ServiceBatchRunner, { strict: false });
    expect(runner.activeBatches()).toEqual([id]);
    const stopping = ts.system.stop();
    while (!runner.isStopping()) await new Promise((r) => setTimeout(r, 5));
    await lock.client.query('ROLLBACK');
    await stopping;

    const recordedBeforeRestart = Object.keys(await succeededEvents(id)).length;
    expect(recordedBeforeRestart).toBeGreaterThan(0);
    expect(recordedBeforeRestart).toBeLessThan(customerIds.length);
    const { rows: runs } = await ts.pool.query(`SELECT open, lease_owner FROM ${SERVICE_BATCH_RUNS_TABLE} WHERE batch_id = $1`, [id]);
    expect(runs).toEqual([{ open: true, lease_owner: null }]);

    // A new system on the same database finishes the batch by itself (nobody asks it to).
    secondDataDir = mkdtempSync(join(tmpdir(), 'batch-resume-'));
    second = await startEmbeddedSystem({
      DATABASE_URL: ts.database.connectionString,
      DATA_DIR: secondDataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST: '1000000',
    });
    const url = second.url;
    const batch = await completedBatch({ http: () => request(url), pool: ts.pool }, admin, id);
    expect(batch.progress).toEqual({ total: 20, done: 20, pending: 0, succeeded: 20, failed: 0, skipped: 0 });
    expect(batch.results.map((r) => [r.customerId, r.outcome, r.attempts])).toEqual(customerIds.map((c) => [c, 'succeeded', 1]));

    // Exactly once: one SubscriptionChanged per customer on the subscriptions side, one result each on the batch.
    const once = Object.fromEntries(customerIds.map((c) => [c, 1]));
    expect(await editsPerCustomer(ts.pool, id)).toEqual(once);
    expect(await succeededEvents(id)).toEqual(once);
    const { rows: completed } = await ts.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND type = 'ServiceBatchCompleted'`,
      [`batch-${id}`],
    );
    expect(completed[0].n).toBe(1);
  });
});
