import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { Workbook } from 'exceljs';
import { startTestSystem, type TestSystem } from '../../../../deploy/embedded/testing/embedded-test-system';
import { parseCsv } from '@platform/testing';
import {
  activeCustomer,
  addPooledService,
  auth,
  BATCH_SERVICE,
  binaryParser,
  bodyOf,
  completedBatch,
  customerWithPooledService,
  editsPerCustomer,
  expectProblem,
  getBatch,
  parseSse,
  startBatch,
  textParser,
  type BatchView,
} from './testing/service-batches-e2e';

describe('F13 batch edit of a pooled service over HTTP', () => {
  let ts: TestSystem;
  let admin: string;
  let agent: string;
  let auditor: string;

  beforeAll(async () => {
    ts = await startTestSystem();
    admin = ts.partnerA.users['global-admin'].token;
    agent = ts.partnerA.users['admin-agent'].token;
    auditor = ts.partnerA.users.auditor.token;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  /** Events a batch request could write (other services append events of their own in the background). */
  const batchSideEvents = async (): Promise<number> => {
    const { rows } = await ts.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE category IN ('batch', 'subscription')`);
    return rows[0].n;
  };

  const quantityOf = async (customerId: string, token = admin): Promise<number> => {
    const res = await ts.http().get(`/api/v1/customers/${customerId}/services`).set(auth(token)).set('X-Min-Position', await ts.headPosition());
    const items = bodyOf<{ items: Array<{ serviceCode: string; quantity: number }> }>(res).items;
    return items.find((s) => s.serviceCode === BATCH_SERVICE)!.quantity;
  };

  it('answers 202 at once and edits every customer on the server, recording a result per customer', async () => {
    const a = await customerWithPooledService(ts, admin, 100);
    const b = await customerWithPooledService(ts, admin, 100);
    const same = await customerWithPooledService(ts, admin, 300);
    const noSubscription = await activeCustomer(ts, admin);
    const othersCustomer = await customerWithPooledService(ts, ts.partnerB.users['global-admin'].token, 100);
    const unknown = '0192e5f0-0000-7000-8000-00000000dead';
    const customerIds = [a.customerId, noSubscription, b.customerId, othersCustomer.customerId, same.customerId, unknown];

    const res = await startBatch(ts, agent, { serviceCode: BATCH_SERVICE, changes: { quantity: 300 }, customerIds });
    expect(res.status).toBe(202);
    const { id } = bodyOf<{ id: string }>(res);
    expect(res.headers.location).toBe(`/api/v1/service-batches/${id}`);

    const batch = await completedBatch(ts, auditor, id);
    expect(batch).toMatchObject({
      id,
      state: 'completed',
      serviceCode: BATCH_SERVICE,
      changes: { quantity: 300 },
      attempt: 1,
      progress: { total: 6, done: 6, pending: 0, succeeded: 2, failed: 3, skipped: 1 },
      startedBy: ts.partnerA.users['admin-agent'].userId,
    });
    expect(batch.completedAt).toEqual(expect.any(String));
    expect(batch.results.map((r) => [r.customerId, r.outcome, r.reason, r.subscriptionId, r.attempts])).toEqual([
      [a.customerId, 'succeeded', null, a.subscriptionId, 1],
      [noSubscription, 'failed', 'SUBSCRIPTION.NOT_FOUND', null, 1],
      [b.customerId, 'succeeded', null, b.subscriptionId, 1],
      // Another partner's customer fails exactly like an unknown id: nothing about it is revealed.
      [othersCustomer.customerId, 'failed', 'CUSTOMER.NOT_FOUND', null, 1],
      [same.customerId, 'skipped', 'SUBSCRIPTION.NO_CHANGE', same.subscriptionId, 1],
      [unknown, 'failed', 'CUSTOMER.NOT_FOUND', null, 1],
    ]);

    // Organisation names come from the service's customer directory, only for the partner's own customers.
    expect(batch.results.map((r) => r.organizationName !== null)).toEqual([true, true, true, false, true, false]);
    expect(await quantityOf(a.customerId)).toBe(300);
    expect(await quantityOf(b.customerId)).toBe(300);
    expect(await quantityOf(othersCustomer.customerId, ts.partnerB.users['global-admin'].token)).toBe(100);
    expect(await editsPerCustomer(ts.pool, id)).toEqual({ [a.customerId]: 1, [b.customerId]: 1 });
  });

  it('streams progress as Server-Sent Events until the batch completes', async () => {
    const customers = await Promise.all([1, 2, 3].map(() => customerWithPooledService(ts, admin)));
    const { id } = bodyOf<{ id: string }>(
      await startBatch(ts, admin, { serviceCode: BATCH_SERVICE, changes: { autoRenew: true }, customerIds: customers.map((c) => c.customerId) }),
    );
    const res = await ts.http().get(`/api/v1/service-batches/${id}/events`).set(auth(auditor)).buffer(true).parse(textParser);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(res.body as string);
    // The stream ends with the completed batch; before it only progress, never going backwards.
    expect(events.at(-1)?.event).toBe('completed');
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    const done = events.map((e) => (e.data as BatchView).progress.done);
    expect([...done].sort((x, y) => x - y)).toEqual(done);
    expect(events.at(-1)?.data).toEqual(await getBatch(ts, admin, id));
    expect((events.at(-1)?.data as BatchView).progress).toMatchObject({ total: 3, done: 3, succeeded: 3 });

    // A client that goes away mid-stream changes nothing: the batch still runs to the end.
    const more = await Promise.all([1, 2].map(() => customerWithPooledService(ts, admin)));
    const { id: watched } = bodyOf<{ id: string }>(
      await startBatch(ts, admin, { serviceCode: BATCH_SERVICE, changes: { quantity: 77 }, customerIds: more.map((c) => c.customerId) }),
    );
    await new Promise<void>((resolve, reject) => {
      const req = get(`${ts.url}/api/v1/service-batches/${watched}/events`, { headers: auth(admin) }, (stream) => {
        stream.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => (req.destroyed ? resolve() : reject(e)));
    });
    expect((await completedBatch(ts, admin, watched)).progress).toMatchObject({ total: 2, succeeded: 2 });

    // A completed batch's stream answers once and ends.
    const again = parseSse((await ts.http().get(`/api/v1/service-batches/${id}/events`).set(auth(admin)).buffer(true).parse(textParser)).body as string);
    expect(again.map((e) => e.event)).toEqual(['completed']);
    expectProblem(await ts.http().get(`/api/v1/service-batches/${randomUUID()}/events`).set(auth(admin)), 404, 'SERVICE_BATCH.NOT_FOUND');
  });

  it('exports the per-customer result report as CSV and XLSX, cell by cell', async () => {
    const ok = await customerWithPooledService(ts, admin);
    // A name a CSV writer must quote, and one a spreadsheet would run as a formula.
    const none = await activeCustomer(ts, admin, `Rossi, "Bianchi" & Figli ${randomUUID().slice(0, 6)}`);
    const formula = await activeCustomer(ts, admin, `=HYPERLINK("http://evil.example") ${randomUUID().slice(0, 6)}`);
    const { id } = bodyOf<{ id: string }>(
      await startBatch(ts, admin, { serviceCode: BATCH_SERVICE, changes: { termEndsAt: '2031-06-30T00:00:00.000Z' }, customerIds: [ok.customerId, none, formula] }),
    );
    const batch = await completedBatch(ts, admin, id);
    const expected = [
      ['Customer ID', 'Organization', 'Outcome', 'Reason', 'Subscription ID', 'Attempts', 'Updated at'],
      ...batch.results.map((r) => [r.customerId, r.organizationName ?? '', r.outcome, r.reason ?? '', r.subscriptionId ?? '', String(r.attempts), r.updatedAt ?? '']),
    ];
    expect(expected.slice(1).map((r) => [r[0], r[2], r[3]])).toEqual([
      [ok.customerId, 'succeeded', ''],
      [none, 'failed', 'SUBSCRIPTION.NOT_FOUND'],
      [formula, 'failed', 'SUBSCRIPTION.NOT_FOUND'],
    ]);
    expect(expected[2][1]).toMatch(/^Rossi, "Bianchi" & Figli /);

    const csv = await ts.http().get(`/api/v1/service-batches/${id}/report?format=csv`).set(auth(auditor)).buffer(true).parse(textParser);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="service-batch-${id}.csv"`);
    // Cell by cell as written, except that a cell starting like a formula is defused with a leading apostrophe.
    expect(parseCsv(csv.body as string)).toEqual(expected.map((row) => row.map((cell) => (cell.startsWith('=') ? `'${cell}` : cell))));

    const xlsx = await ts.http().get(`/api/v1/service-batches/${id}/report?format=xlsx`).set(auth(auditor)).buffer(true).parse(binaryParser);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Results')!;
    expect(sheet.rowCount).toBe(expected.length);
    expected.forEach((row, r) => row.forEach((value, c) => expect(String(sheet.getRow(r + 1).getCell(c + 1).value ?? '')).toBe(value)));
    expect(workbook.getWorksheet('Batch')!.getRow(2).getCell(2).value).toBe(BATCH_SERVICE);

    expectProblem(await ts.http().get(`/api/v1/service-batches/${id}/report?format=pdf`).set(auth(admin)), 400);
  });

  it('retries only the failed customers, never editing a succeeded one again', async () => {
    const ok = await customerWithPooledService(ts, admin);
    const late = await activeCustomer(ts, admin);
    const { id } = bodyOf<{ id: string }>(
      await startBatch(ts, admin, { serviceCode: BATCH_SERVICE, changes: { quantity: 42 }, customerIds: [ok.customerId, late] }),
    );
    expect((await completedBatch(ts, admin, id)).progress).toMatchObject({ succeeded: 1, failed: 1 });
    expectProblem(await ts.http().post(`/api/v1/service-batches/${id}:retry-failed`).set(auth(auditor)), 403, 'AUTH.FORBIDDEN');

    // The missing subscription is added; the retry now succeeds for that customer only.
    const lateSubscription = await addPooledService(ts, admin, late);
    const retry = await ts.http().post(`/api/v1/service-batches/${id}:retry-failed`).set(auth(agent)).set('Idempotency-Key', randomUUID());
    expect(retry.status).toBe(202);
    expect(bodyOf(retry)).toEqual({ id, attempt: 2, customerIds: [late] });

    const batch = await completedBatch(ts, admin, id);
    expect(batch).toMatchObject({ attempt: 2, progress: { total: 2, done: 2, succeeded: 2, failed: 0 } });
    expect(batch.results.map((r) => [r.customerId, r.outcome, r.subscriptionId, r.attempts])).toEqual([
      [ok.customerId, 'succeeded', ok.subscriptionId, 1],
      [late, 'succeeded', lateSubscription, 2],
    ]);
    expect(await editsPerCustomer(ts.pool, id)).toEqual({ [ok.customerId]: 1, [late]: 1 });
    expect(await quantityOf(late)).toBe(42);

    expectProblem(await ts.http().post(`/api/v1/service-batches/${id}:retry-failed`).set(auth(admin)), 409, 'SERVICE_BATCH.NOTHING_TO_RETRY');
  });

  it('refuses invalid batches with problem+json naming the field, writing nothing', async () => {
    const customerId = randomUUID();
    const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
    const valid = { serviceCode: BATCH_SERVICE, changes: { quantity: 10 }, customerIds: [customerId] };
    const before = await batchSideEvents();
    const cases: Array<[object, string]> = [
      [{ ...valid, customerIds: [] }, 'customerIds'],
      [{ ...valid, customerIds: ids(21) }, 'customerIds'],
      [{ ...valid, customerIds: [customerId, customerId] }, 'customerIds'],
      [{ ...valid, customerIds: ['not-a-uuid'] }, 'customerIds'],
      [{ ...valid, customerIds: undefined }, 'customerIds'],
      [{ ...valid, changes: {} }, 'changes'],
      [{ ...valid, changes: undefined }, 'changes'],
      [{ ...valid, changes: { quantity: 0 } }, 'changes.quantity'],
      [{ ...valid, changes: { quantity: 'many' } }, 'changes.quantity'],
      [{ ...valid, changes: { termEndsAt: 'next year' } }, 'changes.termEndsAt'],
      [{ ...valid, changes: { autoRenew: 'yes' } }, 'changes.autoRenew'],
      [{ ...valid, changes: { quantity: 1, plan: 'trial' } }, 'changes.plan'],
      [{ ...valid, serviceCode: 'Cloud Backup' }, 'serviceCode'],
      [{ ...valid, serviceCode: 'no-such-service' }, 'serviceCode'],
      [{ ...valid, serviceCode: 'risk-insights' }, 'serviceCode'],
      [{ ...valid, extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const problem = expectProblem(await startBatch(ts, admin, body), 400);
      expect({ body, fields: (problem.errors ?? []).map((e) => e.field) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    }
    expect(await batchSideEvents()).toBe(before);
  });

  it('lets global admins and admin agents run batches; auditors only read', async () => {
    const { customerId } = await customerWithPooledService(ts, admin);
    const body = { serviceCode: BATCH_SERVICE, changes: { quantity: 7 }, customerIds: [customerId] };
    const before = await batchSideEvents();
    expectProblem(await startBatch(ts, auditor, body), 403, 'AUTH.FORBIDDEN');
    expect(await batchSideEvents()).toBe(before);
    expectProblem(await ts.http().post('/api/v1/service-batches').send(body), 401);

    const byAdmin = bodyOf<{ id: string }>(await startBatch(ts, admin, body)).id;
    const byAgent = bodyOf<{ id: string }>(await startBatch(ts, agent, body)).id;
    for (const id of [byAdmin, byAgent]) {
      await completedBatch(ts, auditor, id);
      expect((await ts.http().get(`/api/v1/service-batches/${id}/report`).set(auth(auditor))).status).toBe(200);
    }
    // The second batch finds the quantity already at 7: a skip, not a second edit.
    expect((await getBatch(ts, admin, byAgent)).results[0]).toMatchObject({ outcome: 'skipped', reason: 'SUBSCRIPTION.NO_CHANGE' });
  });

  it("answers 404 for another partner's batch on every route, like an unknown one", async () => {
    const { customerId } = await customerWithPooledService(ts, admin);
    const { id } = bodyOf<{ id: string }>(await startBatch(ts, admin, { serviceCode: BATCH_SERVICE, changes: { quantity: 11 }, customerIds: [customerId] }));
    await completedBatch(ts, admin, id);
    const b = ts.partnerB.users['global-admin'].token;
    for (const batchId of [id, randomUUID(), 'not-a-uuid']) {
      expectProblem(await ts.http().get(`/api/v1/service-batches/${batchId}`).set(auth(b)), 404, 'SERVICE_BATCH.NOT_FOUND');
      expectProblem(await ts.http().get(`/api/v1/service-batches/${batchId}/events`).set(auth(b)), 404, 'SERVICE_BATCH.NOT_FOUND');
      expectProblem(await ts.http().get(`/api/v1/service-batches/${batchId}/report?format=csv`).set(auth(b)), 404, 'SERVICE_BATCH.NOT_FOUND');
      expectProblem(await ts.http().post(`/api/v1/service-batches/${batchId}:retry-failed`).set(auth(b)), 404, 'SERVICE_BATCH.NOT_FOUND');
    }
  });

  it('documents every batch route with its answers in OpenAPI', async () => {
    const doc = bodyOf<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(await ts.http().get('/docs-json'));
    const ops: Array<[string, string, string[]]> = [
      ['/api/v1/service-batches', 'post', ['202', '400', '403']],
      ['/api/v1/service-batches/{id}', 'get', ['200', '404']],
      ['/api/v1/service-batches/{id}/events', 'get', ['200', '404']],
      ['/api/v1/service-batches/{id}/report', 'get', ['200', '400', '404']],
      ['/api/v1/service-batches/{id}:retry-failed', 'post', ['202', '403', '404', '409']],
    ];
    for (const [path, method, statuses] of ops) {
      expect([path, method, Object.keys(doc.paths[path]?.[method]?.responses ?? {})]).toEqual([path, method, expect.arrayContaining(statuses)]);
    }
  });

  it('a POST retried with the same Idempotency-Key starts one batch', async () => {
    const { customerId } = await customerWithPooledService(ts, admin);
    const body = { serviceCode: BATCH_SERVICE, changes: { quantity: 12 }, customerIds: [customerId] };
    const key = randomUUID();
    const first = await startBatch(ts, admin, body, key);
    const second = await startBatch(ts, admin, body, key);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(bodyOf(second)).toEqual(bodyOf(first));
    const { rows } = await ts.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'ServiceBatchStarted' AND data->'customerIds' ? $1`,
      [customerId],
    );
    expect(rows[0].n).toBe(1);
  });
});
