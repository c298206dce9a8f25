import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { TestSystem } from '../../../../../deploy/embedded/testing/embedded-test-system';

/** Helpers of the reporting e2e suites: customers come from the customers API, as in production. */
export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

let counter = 0;

export function expectProblem(res: Response, status: number, code?: string): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  if (code) expect(JSON.parse(res.text).code).toBe(code);
}

export async function inviteCustomer(ts: TestSystem, token: string, accept = true, primaryDomain?: string): Promise<string> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const invited = await ts
    .http()
    .post('/api/v1/customers')
    .set(auth(token))
    .set('Idempotency-Key', randomUUID())
    .send({
      organizationName: `Telemetria ${n} S.r.l.`,
      primaryDomain: primaryDomain ?? `telemetria-${n}.example.it`,
      countryCode: 'IT',
      accountType: 'microsoft365-global-admin',
      contactEmail: `it@telemetria-${n}.example.it`,
      tags: ['gold'],
    });
  if (invited.status !== 201) throw new Error(`invite answered ${invited.status}: ${invited.text}`);
  const { id, invitation } = invited.body as { id: string; invitation: { link: string } };
  if (accept) {
    const accepted = await ts.http().post(new URL(invitation.link).pathname).send({ registeredAccount: `admin@telemetria-${n}.example.it` });
    if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${accepted.text}`);
  }
  return id;
}

/** Polls until `check` passes (projections and consumers are asynchronous), up to `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function createApiKey(ts: TestSystem, adminToken: string, name = 'Cloud Backup EU'): Promise<{ id: string; key: string }> {
  const res = await ts.http().post('/api/v1/api-keys').set(auth(adminToken)).send({ name });
  if (res.status !== 201) throw new Error(`api key answered ${res.status}: ${res.text}`);
  return res.body as { id: string; key: string };
}

export const iso = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString();
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function backupJob(customerId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId,
    jobId: `job-${randomUUID()}`,
    product: 'cloud-backup-m365',
    workload: 'exchange',
    startedAt: iso(2 * HOUR),
    endedAt: iso(HOUR),
    status: 'succeeded',
    items: 1200,
    bytes: 52_428_800,
    ...overrides,
  };
}
