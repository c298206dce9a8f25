import { randomUUID } from 'node:crypto';
import type { Stream } from 'node:stream';
import type { Pool } from 'pg';
import type request from 'supertest';
import type { Response } from 'supertest';
import { CustomerDirectory } from '@platform/customer-directory';

/** What the e2e helpers need of a running system: its HTTP server and a pool on its database. */
export interface BatchTestSystem {
  http: () => ReturnType<typeof request>;
  pool: Pool;
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export function bodyOf<T = Record<string, unknown>>(res: Response): T {
  if (res.body && typeof res.body === 'object' && Object.keys(res.body as object).length > 0) return res.body as T;
  return JSON.parse(res.text) as T;
}

/** RFC 9457 problem+json with a stable code. */
export function expectProblem(res: Response, status: number, code?: string): { code: string; errors?: Array<{ field: string; message: string }> } {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(res.text) as { code: string; status: number; errors?: Array<{ field: string; message: string }> };
  expect(problem.status).toBe(status);
  if (code) expect(problem.code).toBe(code);
  return problem;
}

let counter = 0;

/** Invites a customer through the customers API and accepts the invitation: an `active` customer. */
export async function activeCustomer(ts: BatchTestSystem, token: string, organizationName?: string): Promise<string> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const invited = await ts
    .http()
    .post('/api/v1/customers')
    .set(auth(token))
    .set('Idempotency-Key', randomUUID())
    .send({
      organizationName: organizationName ?? `Batch Test ${n} S.r.l.`,
      primaryDomain: `batch-${n}.example.it`,
      countryCode: 'IT',
      accountType: 'microsoft365-global-admin',
      contactEmail: `admin@batch-${n}.example.it`,
      locale: 'it',
    });
  if (invited.status !== 201) throw new Error(`invite answered ${invited.status}: ${invited.text}`);
  const { id, invitation } = bodyOf<{ id: string; invitation: { link: string } }>(invited);
  const accepted = await ts.http().post(new URL(invitation.link).pathname).send({ registeredAccount: 'admin@customer.example.com' });
  if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${accepted.text}`);
  // The subscriptions service learns of it through the customers' integration events.
  await new CustomerDirectory(ts.pool, { table: 'subscriptions_customer_directory' }).waitFor(id, (c) => c?.status === 'active', 20_000);
  return id;
}

export const BATCH_SERVICE = 'cloud-backup-m365';

/** Adds a pooled paid subscription of `serviceCode` and waits until the service's read side lists it. */
export async function addPooledService(
  ts: BatchTestSystem,
  token: string,
  customerId: string,
  options: { serviceCode?: string; quantity?: number } = {},
): Promise<string> {
  const res = await ts
    .http()
    .post(`/api/v1/customers/${customerId}/services`)
    .set(auth(token))
    .set('Idempotency-Key', randomUUID())
    .send({
      services: [
        {
          serviceCode: options.serviceCode ?? BATCH_SERVICE,
          plan: 'paid',
          quantity: options.quantity ?? 100,
          termEndsAt: '2030-01-01T00:00:00Z',
          pooled: true,
        },
      ],
    });
  if (res.status !== 201) throw new Error(`add services answered ${res.status}: ${res.text}`);
  const subscriptionId = bodyOf<{ services: Array<{ subscriptionId: string }> }>(res).services[0].subscriptionId;
  const listed = await ts
    .http()
    .get(`/api/v1/customers/${customerId}/services`)
    .set(auth(token))
    .set('X-Min-Position', String(res.headers['x-log-position']));
  if (listed.status !== 200) throw new Error(`services list answered ${listed.status}: ${listed.text}`);
  return subscriptionId;
}

/** An active customer with a pooled subscription of the batch service. */
export async function customerWithPooledService(ts: BatchTestSystem, token: string, quantity = 100): Promise<{ customerId: string; subscriptionId: string }> {
  const customerId = await activeCustomer(ts, token);
  return { customerId, subscriptionId: await addPooledService(ts, token, customerId, { quantity }) };
}

export interface BatchView {
  id: string;
  state: 'running' | 'completed';
  serviceCode: string;
  changes: Record<string, unknown>;
  attempt: number;
  progress: { total: number; done: number; pending: number; succeeded: number; failed: number; skipped: number };
  startedAt: string | null;
  startedBy: string | null;
  completedAt: string | null;
  results: Array<{ customerId: string; organizationName: string | null; outcome: string; reason: string | null; subscriptionId: string | null; attempts: number; updatedAt: string | null }>;
}

export function startBatch(ts: BatchTestSystem, token: string, body: object, key: string = randomUUID()) {
  return ts.http().post('/api/v1/service-batches').set(auth(token)).set('Idempotency-Key', key).send(body);
}

export async function getBatch(ts: BatchTestSystem, token: string, id: string): Promise<BatchView> {
  const res = await ts.http().get(`/api/v1/service-batches/${id}`).set(auth(token));
  if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${res.text}`);
  return bodyOf<BatchView>(res);
}

/** Polls the batch until it has completed (the server runs it whatever the client does). */
export async function completedBatch(ts: BatchTestSystem, token: string, id: string, timeoutMs = 30_000): Promise<BatchView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await getBatch(ts, token, id);
    if (batch.state === 'completed') return batch;
    if (Date.now() > deadline) throw new Error(`batch ${id} did not complete: ${JSON.stringify(batch.progress)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How many times each customer's subscription was changed by this batch (the subscriptions side's events). */
export async function editsPerCustomer(pool: Pool, batchId: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ customer_id: string; n: number }>(
    `SELECT metadata->>'customerId' AS customer_id, count(*)::int AS n FROM events
     WHERE category = 'subscription' AND type = 'SubscriptionChanged' AND data->>'batchId' = $1 GROUP BY 1`,
    [batchId],
  );
  return Object.fromEntries(rows.map((r) => [r.customer_id, r.n]));
}

/** A supertest parser that keeps the body as text (SSE, CSV). */
export function textParser(res: Stream & { setEncoding(e: BufferEncoding): unknown }, done: (e: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => done(null, text));
}

/** A supertest parser that keeps the body as bytes (XLSX). */
export function binaryParser(res: Stream, done: (e: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

export interface SseEvent {
  id: string;
  event: string;
  data: unknown;
}

export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim().length > 0 && !block.startsWith(':'))
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const i = line.indexOf(': ');
        if (i > 0) fields[line.slice(0, i)] = line.slice(i + 2);
      }
      return { id: fields.id, event: fields.event, data: JSON.parse(fields.data) as unknown };
    });
}
