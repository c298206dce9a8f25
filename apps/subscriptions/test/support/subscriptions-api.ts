import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { TestSystem } from '../../../../deploy/embedded/testing/embedded-test-system';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface Problem {
  status: number;
  code: string;
  errors?: Array<{ field: string; message: string }>;
}

export function bodyOf<T = Record<string, unknown>>(res: Response): T {
  if (res.body && typeof res.body === 'object' && Object.keys(res.body as object).length > 0) return res.body as T;
  return JSON.parse(res.text) as T;
}

/** RFC 9457 problem+json with the stable code. */
export function expectProblem(res: Response, status: number, code?: string): Problem {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = (res.body && typeof res.body === 'object' && 'code' in (res.body as object) ? res.body : JSON.parse(res.text)) as Problem;
  if (code) expect(body.code).toBe(code);
  return body;
}

/** Polls until `check` holds (short steps, bounded). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let counter = 0;

/** Invites a customer through the customers API; `accept` makes it active. Returns its id. */
export async function createCustomer(ts: TestSystem, token: string, accept = true): Promise<string> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const res = await ts
    .http()
    .post('/api/v1/customers')
    .set(auth(token))
    .set('Idempotency-Key', randomUUID())
    .send({
      organizationName: `Dupont Transports ${n}`,
      primaryDomain: `dupont-${n}.example.fr`,
      countryCode: 'FR',
      accountType: 'microsoft365-global-admin',
      contactEmail: `admin@dupont-${n}.example.fr`,
      locale: 'fr',
    });
  if (res.status !== 201) throw new Error(`invite answered ${res.status}: ${res.text}`);
  const body = bodyOf<{ id: string; invitation: { link: string } }>(res);
  if (accept) {
    const accepted = await ts.http().post(new URL(body.invitation.link).pathname).send({ registeredAccount: 'admin@customer.example.com' });
    if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${accepted.text}`);
  }
  return body.id;
}

/** Waits until the subscriptions service's customer directory knows the customer in `status` (and mode). */
export async function directoryKnows(ts: TestSystem, customerId: string, status: string, mode = 'partner'): Promise<void> {
  await eventually(
    async () =>
      (
        await ts.pool.query<{ status: string; management_mode: string }>(
          'SELECT status, management_mode FROM subscriptions_customer_directory WHERE customer_id = $1',
          [customerId],
        )
      ).rows[0],
    (r) => r?.status === status && r.management_mode === mode,
  );
}

const DAY = 24 * 60 * 60 * 1000;
export const inDays = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

export function serviceBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 100, termEndsAt: inDays(365), pooled: true, autoRenew: true, ...overrides };
}
