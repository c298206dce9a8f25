import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { TestSystem } from './test-system';

/** What every error answer must be: RFC 9457 problem+json with a stable AREA.REASON code. */
export function expectProblem(res: Response, status: number, code?: string | RegExp): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = problemOf(res);
  expect(body.status).toBe(status);
  expect(body.code).toMatch(/^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/);
  if (typeof code === 'string') expect(body.code).toBe(code);
  else if (code) expect(body.code).toMatch(code);
}

/** The answer's status is one of `statuses` (the failure names the body, which says why). */
export function expectStatusIn(res: Response, statuses: readonly number[]): void {
  if (!statuses.includes(res.status)) throw new Error(`expected ${statuses.join(' or ')}, got ${res.status}: ${res.text}`);
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  correlationId?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** supertest parses JSON bodies only for application/json; problem+json comes as text. */
export function problemOf(res: Response): Problem {
  if (res.body && typeof res.body === 'object' && 'code' in (res.body as object)) return res.body as Problem;
  return JSON.parse(res.text) as Problem;
}

export function bodyOf<T = Record<string, unknown>>(res: Response): T {
  if (res.body && typeof res.body === 'object' && Object.keys(res.body as object).length > 0) return res.body as T;
  return JSON.parse(res.text) as T;
}

let counter = 0;

/** A valid F1 invitation body, unique per call. */
export function inviteBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  return {
    organizationName: `Rossi Logistica ${n} S.p.A.`,
    primaryDomain: `rossi-${n}.example.it`,
    countryCode: 'IT',
    accountType: 'microsoft365-global-admin',
    contactEmail: `it-admin@rossi-${n}.example.it`,
    tags: ['gold'],
    locale: 'it',
    ...overrides,
  };
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface Invited {
  id: string;
  /** The signed invitation link (`…/api/v1/invitations/<token>:accept`). */
  link: string;
}

/** Invites a customer as `token`'s user. */
export async function inviteFull(ts: TestSystem, token: string, overrides: Record<string, unknown> = {}): Promise<Invited> {
  const res = await ts.http().post('/api/v1/customers').set(auth(token)).set('Idempotency-Key', randomUUID()).send(inviteBody(overrides));
  if (res.status !== 201) throw new Error(`invite answered ${res.status}: ${res.text}`);
  const body = bodyOf<{ id: string; invitation: { link: string } }>(res);
  return { id: body.id, link: body.invitation.link };
}

/** Invites a customer as `token`'s user and returns its id. */
export async function invite(ts: TestSystem, token: string, overrides: Record<string, unknown> = {}): Promise<string> {
  return (await inviteFull(ts, token, overrides)).id;
}

/** The path (with the token) of an invitation link, to call on this test server. */
export const acceptPath = (link: string) => new URL(link).pathname;

/** Invites a customer and accepts the invitation (customer side, no partner token): status `active`. */
export async function activeCustomer(ts: TestSystem, token: string): Promise<string> {
  const { id, link } = await inviteFull(ts, token);
  const res = await ts.http().post(acceptPath(link)).send({ registeredAccount: 'admin@customer.example.com' });
  if (res.status !== 200) throw new Error(`accept answered ${res.status}: ${res.text}`);
  return id;
}

/** 1×1 transparent PNG. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export async function uploadLogo(ts: TestSystem, token: string, customerId: string): Promise<void> {
  const res = await ts.http().put(`/api/v1/customers/${customerId}/logo`).set(auth(token)).set('Content-Type', 'image/png').send(PNG_1X1);
  if (res.status !== 200) throw new Error(`logo upload answered ${res.status}: ${res.text}`);
}

/** A valid F5 setting template body. */
export function templateBody(): Record<string, unknown> {
  return { name: `Italian SMB ${randomUUID().slice(0, 8)}`, settings: { locale: 'it', countryCode: 'IT' }, tags: ['smb'] };
}

export async function createTemplate(ts: TestSystem, token: string): Promise<string> {
  const res = await ts.http().post('/api/v1/setting-templates').set(auth(token)).set('Idempotency-Key', randomUUID()).send(templateBody());
  if (res.status !== 201) throw new Error(`template create answered ${res.status}: ${res.text}`);
  return bodyOf<{ id: string }>(res).id;
}

export function ticketBody(): Record<string, unknown> {
  return { title: 'Backup job failing', description: 'The nightly Exchange backup fails since Monday.', severity: 'high' };
}

export async function openTicket(ts: TestSystem, token: string, customerId: string): Promise<string> {
  const res = await ts
    .http()
    .post(`/api/v1/customers/${customerId}/support-tickets`)
    .set(auth(token))
    .set('Idempotency-Key', randomUUID())
    .send(ticketBody());
  if (res.status !== 201) throw new Error(`ticket create answered ${res.status}: ${res.text}`);
  return bodyOf<{ id: string }>(res).id;
}

export async function pin(ts: TestSystem, token: string, customerId: string): Promise<void> {
  const res = await ts.http().put(`/api/v1/customers/${customerId}/pin`).set(auth(token));
  if (res.status >= 300) throw new Error(`pin answered ${res.status}: ${res.text}`);
}
