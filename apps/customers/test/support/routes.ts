import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { PartnerRole } from '@platform/service-kit';
import { activeCustomer, auth, createTemplate, invite, openTicket, pin, PNG_1X1, templateBody, ticketBody, uploadLogo } from './api';
import type { TestPartner, TestSystem } from './test-system';

/**
 * Every partner route of the HTTP API for F1–F9 and F19, as data: who may call it (spec
 * Actors), how to set up what it acts on, and a valid request. The roles, tenant-isolation
 * and property suites all iterate over this one table.
 */

/** Ids of the resources a request acts on; every one of them belongs to one partner. */
export interface Ids {
  customerId?: string;
  ticketId?: string;
  templateId?: string;
}

export interface RouteRequest {
  path: string;
  body?: unknown;
  /** Raw body with its content type (logo upload). */
  raw?: { contentType: string; data: Buffer };
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteCase {
  /** `METHOD /path/{with}/{placeholders}` as in the spec table. */
  name: string;
  method: Method;
  allowed: readonly PartnerRole[];
  /** Statuses a permitted caller gets for the valid request. */
  success: readonly number[];
  /** Creates what the call acts on, as the owner's global-admin; fresh for every call. */
  setup(ts: TestSystem, owner: TestPartner): Promise<Ids>;
  request(ids: Ids): RouteRequest;
}

const ALL: readonly PartnerRole[] = ['global-admin', 'admin-agent', 'auditor'];
const WRITERS: readonly PartnerRole[] = ['global-admin', 'admin-agent'];
const ADMIN_ONLY: readonly PartnerRole[] = ['global-admin'];

const admin = (owner: TestPartner) => owner.users['global-admin'].token;

const withCustomer = async (ts: TestSystem, owner: TestPartner): Promise<Ids> => ({ customerId: await invite(ts, admin(owner)) });

const withTicket = async (ts: TestSystem, owner: TestPartner): Promise<Ids> => {
  const customerId = await invite(ts, admin(owner));
  return { customerId, ticketId: await openTicket(ts, admin(owner), customerId) };
};

const withTemplate = async (ts: TestSystem, owner: TestPartner): Promise<Ids> => ({
  customerId: await invite(ts, admin(owner)),
  templateId: await createTemplate(ts, admin(owner)),
});

const withPinned = async (ts: TestSystem, owner: TestPartner): Promise<Ids> => {
  const customerId = await invite(ts, admin(owner));
  await pin(ts, admin(owner), customerId);
  return { customerId };
};

const withActiveCustomer = async (ts: TestSystem, owner: TestPartner): Promise<Ids> => ({ customerId: await activeCustomer(ts, admin(owner)) });

const withLogo = async (ts: TestSystem, owner: TestPartner): Promise<Ids> => {
  const customerId = await invite(ts, admin(owner));
  await uploadLogo(ts, admin(owner), customerId);
  return { customerId };
};

const withTemplateOnly = async (ts: TestSystem, owner: TestPartner): Promise<Ids> => ({ templateId: await createTemplate(ts, admin(owner)) });

export const ROUTES: RouteCase[] = [
  {
    name: 'GET /api/v1/customers/{id}',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}` }),
  },
  {
    name: 'GET /api/v1/customers/{id}?asOf=',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}?asOf=${encodeURIComponent(new Date().toISOString())}` }),
  },
  {
    name: 'GET /api/v1/customers/{id}/history',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/history` }),
  },
  {
    name: 'PATCH /api/v1/customers/{id}',
    method: 'patch',
    allowed: WRITERS,
    success: [200],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}`, body: { organizationName: `Renamed ${randomUUID().slice(0, 8)} SRL`, locale: 'fr' } }),
  },
  {
    name: 'PUT /api/v1/customers/{id}/logo',
    method: 'put',
    allowed: WRITERS,
    success: [200, 204],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/logo`, raw: { contentType: 'image/png', data: PNG_1X1 } }),
  },
  {
    name: 'GET /api/v1/customers/{id}/logo',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: withLogo,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/logo` }),
  },
  {
    name: 'DELETE /api/v1/customers/{id}/logo',
    method: 'delete',
    allowed: WRITERS,
    success: [200],
    setup: withLogo,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/logo` }),
  },
  {
    name: 'PUT /api/v1/customers/{id}/management-mode',
    method: 'put',
    allowed: ADMIN_ONLY,
    success: [200],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/management-mode`, body: { mode: 'customer' } }),
  },
  {
    name: 'PUT /api/v1/customers/{id}/pin',
    method: 'put',
    allowed: WRITERS,
    success: [200, 204],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/pin` }),
  },
  {
    name: 'DELETE /api/v1/customers/{id}/pin',
    method: 'delete',
    allowed: WRITERS,
    success: [200, 204],
    setup: withPinned,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/pin` }),
  },
  {
    name: 'PUT /api/v1/customers/{id}/tags',
    method: 'put',
    allowed: WRITERS,
    success: [200],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/tags`, body: { tags: ['gold', 'priority'] } }),
  },
  {
    name: 'GET /api/v1/setting-templates/{id}',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: withTemplateOnly,
    request: ({ templateId }) => ({ path: `/api/v1/setting-templates/${templateId}` }),
  },
  {
    name: 'POST /api/v1/setting-templates/{id}:apply',
    method: 'post',
    allowed: ADMIN_ONLY,
    success: [200],
    setup: withTemplate,
    request: ({ templateId, customerId }) => ({ path: `/api/v1/setting-templates/${templateId}:apply`, body: { customerIds: [customerId] } }),
  },
  {
    name: 'DELETE /api/v1/customers/{id}',
    method: 'delete',
    allowed: ADMIN_ONLY,
    success: [200, 204],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}`, body: { confirmation: 'Yes' } }),
  },
  {
    name: 'GET /api/v1/customers/{id}/support-tickets',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: withTicket,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/support-tickets` }),
  },
  {
    name: 'POST /api/v1/customers/{id}/support-tickets',
    method: 'post',
    allowed: WRITERS,
    success: [201],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/support-tickets`, body: ticketBody() }),
  },
  {
    name: 'POST /api/v1/customers/{id}/support-tickets/{tid}/notes',
    method: 'post',
    allowed: WRITERS,
    success: [201],
    setup: withTicket,
    request: ({ customerId, ticketId }) => ({
      path: `/api/v1/customers/${customerId}/support-tickets/${ticketId}/notes`,
      body: { text: 'Called the customer, waiting for logs.' },
    }),
  },
  {
    name: 'POST /api/v1/customers/{id}/support-tickets/{tid}:close',
    method: 'post',
    allowed: WRITERS,
    success: [200],
    setup: withTicket,
    request: ({ customerId, ticketId }) => ({
      path: `/api/v1/customers/${customerId}/support-tickets/${ticketId}:close`,
      body: { resolution: 'Credentials renewed.' },
    }),
  },
  {
    name: 'POST /api/v1/customers/{id}/access-sessions',
    method: 'post',
    allowed: WRITERS,
    success: [201],
    setup: withActiveCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/access-sessions` }),
  },
  {
    name: 'POST /api/v1/customers/{id}/invitation:resend',
    method: 'post',
    allowed: WRITERS,
    success: [200],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/invitation:resend`, body: {} }),
  },
  {
    name: 'DELETE /api/v1/customers/{id}/invitation',
    method: 'delete',
    allowed: WRITERS,
    success: [200, 204],
    setup: withCustomer,
    request: ({ customerId }) => ({ path: `/api/v1/customers/${customerId}/invitation` }),
  },
];

/** Partner routes that name no partner-owned resource (lists, the caller's own views, creation). */
export const UNSCOPED_ROUTES: RouteCase[] = [
  {
    name: 'GET /api/v1/customers',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: async () => ({}),
    request: () => ({ path: '/api/v1/customers?search=rossi&status=invited&country=IT&sort=name&limit=10' }),
  },
  {
    name: 'POST /api/v1/customers',
    method: 'post',
    allowed: WRITERS,
    success: [201],
    setup: async () => ({}),
    request: () => ({ path: '/api/v1/customers', body: { ...inviteBodyForRoutes() } }),
  },
  {
    name: 'GET /api/v1/me/pinned-customers',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: async () => ({}),
    request: () => ({ path: '/api/v1/me/pinned-customers' }),
  },
  {
    name: 'GET /api/v1/me/preferences',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: async () => ({}),
    request: () => ({ path: '/api/v1/me/preferences' }),
  },
  {
    name: 'PUT /api/v1/me/preferences',
    method: 'put',
    allowed: WRITERS,
    success: [200, 204],
    setup: async () => ({}),
    request: () => ({ path: '/api/v1/me/preferences', body: { columns: ['name', 'status', 'country'] } }),
  },
  {
    name: 'GET /api/v1/setting-templates',
    method: 'get',
    allowed: ALL,
    success: [200],
    setup: async () => ({}),
    request: () => ({ path: '/api/v1/setting-templates' }),
  },
  {
    name: 'POST /api/v1/setting-templates',
    method: 'post',
    allowed: ADMIN_ONLY,
    success: [201],
    setup: async () => ({}),
    request: () => ({ path: '/api/v1/setting-templates', body: templateBody() }),
  },
];

function inviteBodyForRoutes(): Record<string, unknown> {
  const n = randomUUID().slice(0, 8);
  return {
    organizationName: `Bianchi Trasporti ${n}`,
    primaryDomain: `bianchi-${n}.example.it`,
    countryCode: 'IT',
    accountType: 'google-super-admin',
    contactEmail: `admin@bianchi-${n}.example.it`,
    tags: ['silver'],
    locale: 'it',
  };
}

/**
 * Sends a route's request with the given headers: a fresh Idempotency-Key on every POST, and on
 * reads `X-Min-Position` at the log's head so the read model has caught up with the setup.
 */
export async function send(ts: TestSystem, route: RouteCase, req: RouteRequest, headers: Record<string, string>): Promise<Response> {
  let call = ts.http()[route.method](req.path).set(headers);
  if (route.method === 'get') call = call.set('X-Min-Position', await ts.headPosition());
  if (route.method === 'post') call = call.set('Idempotency-Key', randomUUID());
  if (req.raw) return call.set('Content-Type', req.raw.contentType).send(req.raw.data);
  return req.body === undefined ? call : call.send(req.body as object);
}

export const as = (partner: TestPartner, role: PartnerRole) => auth(partner.users[role].token);
