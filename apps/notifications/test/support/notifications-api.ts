import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { TestSystem } from '../../../../deploy/embedded/testing/embedded-test-system';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export function bodyOf<T = Record<string, unknown>>(res: Response): T {
  if (res.body && typeof res.body === 'object' && Object.keys(res.body as object).length > 0) return res.body as T;
  return JSON.parse(res.text) as T;
}

export interface Problem {
  status: number;
  code: string;
  errors?: Array<{ field: string; message: string }>;
}

/** RFC 9457 problem+json with the expected status (and code). */
export function expectProblem(res: Response, status: number, code?: string): Problem {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text) as Problem;
  expect(body.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  return body;
}

let counter = 0;

export function inviteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  return {
    organizationName: `Rossi Logistica ${n}`,
    primaryDomain: `rossi-${n}.example.it`,
    countryCode: 'IT',
    accountType: 'microsoft365-global-admin',
    contactEmail: `it-admin@rossi-${n}.example.it`,
    tags: [],
    locale: 'it',
    ...overrides,
  };
}

export interface Invited {
  id: string;
  link: string;
  draftEmail: string;
  body: Record<string, unknown>;
}

export async function invite(ts: TestSystem, token: string, overrides: Record<string, unknown> = {}): Promise<Invited> {
  const body = inviteBody(overrides);
  const res = await ts.http().post('/api/v1/customers').set(auth(token)).set('Idempotency-Key', randomUUID()).send(body);
  if (res.status !== 201) throw new Error(`invite answered ${res.status}: ${res.text}`);
  const r = bodyOf<{ id: string; invitation: { link: string; draftEmail: string } }>(res);
  return { id: r.id, link: r.invitation.link, draftEmail: r.invitation.draftEmail, body };
}

export async function editCustomer(ts: TestSystem, token: string, customerId: string, body: Record<string, unknown>): Promise<void> {
  const res = await ts.http().patch(`/api/v1/customers/${customerId}`).set(auth(token)).send(body);
  if (res.status !== 200) throw new Error(`edit answered ${res.status}: ${res.text}`);
}

export async function disconnect(ts: TestSystem, token: string, customerId: string): Promise<void> {
  const res = await ts.http().delete(`/api/v1/customers/${customerId}`).set(auth(token)).send({ confirmation: 'Yes' });
  if (res.status !== 200 && res.status !== 204) throw new Error(`disconnect answered ${res.status}: ${res.text}`);
}

/** Polls `probe` until it returns a value that is not undefined. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
