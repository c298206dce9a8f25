import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { CustomerDirectory, type DirectoryCustomer } from '@platform/customer-directory';
import type { TestSystem } from '../../../../../deploy/embedded/testing/embedded-test-system';
import { ReportingModule } from '../../reporting.module';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
export const idem = () => ({ 'Idempotency-Key': randomUUID() });

export interface Problem {
  status: number;
  code: string;
  errors?: Array<{ field: string; message: string }>;
  details?: Record<string, unknown>;
  [k: string]: unknown;
}

export function problemOf(res: Response): Problem {
  if (res.body && typeof res.body === 'object' && 'code' in (res.body as object)) return res.body as Problem;
  return JSON.parse(res.text) as Problem;
}

export function bodyOf<T = Record<string, unknown>>(res: Response): T {
  if (res.body && typeof res.body === 'object' && Object.keys(res.body as object).length > 0 && !Buffer.isBuffer(res.body)) return res.body as T;
  return JSON.parse(res.text) as T;
}

/** Problem+json with the status and code; the failing fields when asked. */
export function expectProblem(res: Response, status: number, code?: string, fields?: string[]): Problem {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = problemOf(res);
  if (code) expect(p.code).toBe(code);
  if (fields) expect((p.errors ?? []).map((e) => e.field)).toEqual(expect.arrayContaining(fields));
  return p;
}

/** Body parser for binary downloads (supertest buffers them). */
export function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

let counter = 0;

/** Invites a customer through the customers API and accepts the invitation: an active customer of `token`'s partner. */
export async function activeCustomer(ts: TestSystem, token: string, name?: string): Promise<{ id: string; name: string; contactEmail: string }> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const organizationName = name ?? `Rossi Logistica ${n}`;
  const contactEmail = `it-admin@rossi-${n}.example.it`;
  const invited = await ts
    .http()
    .post('/api/v1/customers')
    .set(auth(token))
    .set(idem())
    .send({ organizationName, primaryDomain: `rossi-${n}.example.it`, countryCode: 'IT', accountType: 'microsoft365-global-admin', contactEmail, locale: 'it' });
  if (invited.status !== 201) throw new Error(`invite answered ${invited.status}: ${invited.text}`);
  const { id, invitation } = bodyOf<{ id: string; invitation: { link: string } }>(invited);
  const accepted = await ts.http().post(new URL(invitation.link).pathname).set(idem()).send({ registeredAccount: 'admin@customer.example.com' });
  if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}: ${accepted.text}`);
  return { id, name: organizationName, contactEmail };
}

export function reportingDirectory(ts: TestSystem): CustomerDirectory {
  return ts.system.app.select(ReportingModule).get(CustomerDirectory, { strict: false });
}

export function waitForDirectory(ts: TestSystem, customerId: string, predicate: (c: DirectoryCustomer | undefined) => boolean): Promise<void> {
  return reportingDirectory(ts).waitFor(customerId, predicate, 20_000);
}

/** Polls `probe` until it returns something truthy (short steps, bounded). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
