import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { uuidv7 } from '@platform/core';
import { acceptPath, auth, createTemplate, invite, inviteBody, inviteFull, openTicket, problemOf, templateBody, ticketBody } from './support/api';
import type { Ids as RouteIds } from './support/routes';

type Ids = RouteIds & { acceptPath?: string };
import { startTestSystem, type TestSystem } from './support/test-system';

/**
 * Random invalid bodies thrown at every write endpoint: anything JSON, wrong types, unknown
 * fields, huge strings, bad emails, names of 0 or 300+ characters, bad country codes, bad enum
 * values. Whatever comes, the answer is a 4xx problem+json with a code (never a 5xx) and the
 * log does not grow. Each endpoint gets a valid body too, so the test fails if the route is
 * missing or refuses everything. Routes that take no body (pin/unpin, revoke, logo removal,
 * access sessions) are not here; the logo upload gets random bytes instead of JSON.
 */

const SEED = 20261121;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

// ---- invalid values, by kind ---------------------------------------------------------------
const notString = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const longText = (min: number) => fc.integer({ min, max: min + 2_000 }).map((n) => 'é'.repeat(n));
const blank = fc.constantFrom('', ' ', '   ', '\t\n');
const badName = fc.oneof(blank, longText(300), notString, fc.constant(null));
const badEmail = fc.oneof(
  fc.constantFrom('not-an-email', 'a@b', '@example.com', 'admin@', 'a b@example.com', 'admin@@example.com', 'admin@exa mple.com', ''),
  fc.integer({ min: 255, max: 400 }).map((n) => `${'a'.repeat(n)}@example.com`),
  notString,
);
const badCountry = fc.oneof(fc.constantFrom('XX', 'ZZ', 'QQ', 'AA', 'EU', 'UK', 'ITA', 'I', '1A', '', 'I T'), fc.integer(), fc.constant(null));
const badOptionalCountry = fc.oneof(fc.constantFrom('XX', 'ZZ', 'QQ', 'AA', 'EU', 'UK', 'ITA', 'I', '1A', '', 'I T'), fc.integer());
const badLocale = fc.oneof(fc.constantFrom('english!', 'EN_us', '', '12', 'e', 'x'.repeat(40)), fc.integer(), fc.boolean());
const badEnum = (valid: readonly string[]) =>
  fc.oneof(fc.string({ maxLength: 40 }).filter((s) => !valid.includes(s)), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.constantFrom(...valid), { minLength: 1, maxLength: 2 }));
const badTags = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.array(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), { minLength: 1, maxLength: 3 }),
  fc.constant(['']),
  fc.constant(['   ']),
  fc.constant(['t'.repeat(65)]),
  fc.constant(Array.from({ length: 51 }, (_, i) => `tag-${i}`)),
);
const badUuid = fc.oneof(fc.constantFrom('not-a-uuid', '', '123', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'), fc.integer(), fc.boolean());
const badText = (max: number) => fc.oneof(blank, longText(max + 1), notString, fc.constant(null));
const badDelivery = fc.oneof(
  notString.filter((v) => typeof v !== 'object' || Array.isArray(v)),
  fc.constant({ enabled: 'yes', recipients: [] }),
  fc.constant({ enabled: true, recipients: [] }),
  badEmail.map((e) => ({ enabled: true, recipients: [e] })),
  fc.constant({ enabled: true, recipients: 'a@example.com' }),
  fc.constant({ enabled: true, recipients: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) }),
  fc.constant({ enabled: true, recipients: ['a@example.com'], surprise: 1 }),
);

// ---- endpoints -----------------------------------------------------------------------------
interface WriteEndpoint {
  name: string;
  method: 'post' | 'put' | 'patch' | 'delete';
  setup(ts: TestSystem): Promise<Ids>;
  path(ids: Ids): string;
  /** A body the endpoint accepts (proves the route is there and the generators are the only reason for failure). */
  valid(ids: Ids): Record<string, unknown>;
  /** Invalid values per accepted field: setting one of them makes any valid body invalid. */
  invalid: Record<string, fc.Arbitrary<unknown>>;
}

const adminOf = (ts: TestSystem) => ts.partnerA.users['global-admin'].token;
const customer = async (ts: TestSystem): Promise<Ids> => ({ customerId: await invite(ts, adminOf(ts)) });
const ticket = async (ts: TestSystem): Promise<Ids> => {
  const customerId = await invite(ts, adminOf(ts));
  return { customerId, ticketId: await openTicket(ts, adminOf(ts), customerId) };
};

const ENDPOINTS: WriteEndpoint[] = [
  {
    name: 'POST /api/v1/customers',
    method: 'post',
    setup: async () => ({}),
    path: () => '/api/v1/customers',
    valid: () => inviteBody(),
    invalid: {
      organizationName: badName,
      primaryDomain: fc.oneof(fc.constantFrom('', 'not a domain', 'localhost', '-bad.com', 'a..b.com', '192.168.0.1', `${'d'.repeat(64)}.com`), longText(254), notString, fc.constant(null)),
      countryCode: badCountry,
      accountType: badEnum(['microsoft365-global-admin', 'microsoft365-usgov-global-admin', 'google-super-admin', 'salesforce-system-admin', 'local-account', 'authorization-link']),
      contactEmail: badEmail,
      tags: badTags,
      locale: badLocale,
      indirectProviderId: badUuid,
      draftEmail: fc.oneof(fc.constant(''), longText(20_001), notString),
    },
  },
  {
    name: 'PATCH /api/v1/customers/{id}',
    method: 'patch',
    setup: customer,
    path: ({ customerId }) => `/api/v1/customers/${customerId}`,
    valid: () => ({ organizationName: `Patched ${randomUUID().slice(0, 6)} SRL` }),
    invalid: {
      organizationName: badName,
      countryCode: badCountry,
      locale: badLocale,
      billingReports: badDelivery,
      serviceReports: badDelivery,
      jobNotificationProfileId: fc.oneof(fc.integer(), fc.boolean(), fc.constant(''), longText(129), fc.object({ maxDepth: 1 })),
    },
  },
  {
    name: 'PUT /api/v1/customers/{id}/management-mode',
    method: 'put',
    setup: customer,
    path: ({ customerId }) => `/api/v1/customers/${customerId}/management-mode`,
    valid: () => ({ mode: 'customer' }),
    invalid: { mode: badEnum(['customer']) },
  },
  {
    name: 'PUT /api/v1/customers/{id}/tags',
    method: 'put',
    setup: customer,
    path: ({ customerId }) => `/api/v1/customers/${customerId}/tags`,
    valid: () => ({ tags: ['gold'] }),
    invalid: { tags: fc.oneof(badTags, fc.constant(null)) },
  },
  {
    name: 'POST /api/v1/setting-templates',
    method: 'post',
    setup: async () => ({}),
    path: () => '/api/v1/setting-templates',
    valid: () => templateBody(),
    invalid: {
      name: badName,
      settings: fc.oneof(
        notString.filter((v) => typeof v !== 'object' || Array.isArray(v)),
        badOptionalCountry.map((countryCode) => ({ countryCode })),
        badLocale.map((locale) => ({ locale })),
        badDelivery.map((billingReports) => ({ billingReports })),
        fc.constant({ organizationName: 'Templates carry no names' }),
        fc.constant({ surprise: true }),
      ),
      tags: badTags,
    },
  },
  {
    name: 'POST /api/v1/setting-templates/{id}:apply',
    method: 'post',
    setup: async (ts) => ({ templateId: await createTemplate(ts, adminOf(ts)), customerId: await invite(ts, adminOf(ts)) }),
    path: ({ templateId }) => `/api/v1/setting-templates/${templateId}:apply`,
    valid: ({ customerId }) => ({ customerIds: [customerId] }),
    invalid: {
      customerIds: fc.oneof(
        fc.constant([]),
        fc.constant(null),
        badUuid,
        fc.array(badUuid, { minLength: 1, maxLength: 3 }),
        fc.constant(Array.from({ length: 101 }, () => uuidv7())),
        fc.uuid().map((id) => [id, id]),
      ),
    },
  },
  {
    name: 'DELETE /api/v1/customers/{id}',
    method: 'delete',
    setup: customer,
    path: ({ customerId }) => `/api/v1/customers/${customerId}`,
    valid: () => ({ confirmation: 'Yes' }),
    invalid: { confirmation: fc.oneof(fc.string().filter((s) => s !== 'Yes'), fc.constantFrom('yes', 'YES', 'Yes ', ' Yes', 'Y'), fc.boolean(), fc.integer(), fc.constant(null)) },
  },
  {
    name: 'POST /api/v1/customers/{id}/support-tickets',
    method: 'post',
    setup: customer,
    path: ({ customerId }) => `/api/v1/customers/${customerId}/support-tickets`,
    valid: () => ticketBody(),
    invalid: { title: badText(200), description: fc.oneof(longText(10_001), notString), severity: badEnum(['low', 'normal', 'high', 'critical']) },
  },
  {
    name: 'POST /api/v1/customers/{id}/support-tickets/{tid}/notes',
    method: 'post',
    setup: ticket,
    path: ({ customerId, ticketId }) => `/api/v1/customers/${customerId}/support-tickets/${ticketId}/notes`,
    valid: () => ({ text: 'Called the customer.' }),
    invalid: { text: badText(10_000) },
  },
  {
    name: 'POST /api/v1/customers/{id}/support-tickets/{tid}:close',
    method: 'post',
    setup: ticket,
    path: ({ customerId, ticketId }) => `/api/v1/customers/${customerId}/support-tickets/${ticketId}:close`,
    valid: () => ({ resolution: 'Fixed.' }),
    invalid: { resolution: fc.oneof(longText(10_001), notString) },
  },
  {
    name: 'POST /api/v1/customers/{id}/invitation:resend',
    method: 'post',
    setup: customer,
    path: ({ customerId }) => `/api/v1/customers/${customerId}/invitation:resend`,
    valid: () => ({}),
    invalid: { contactEmail: badEmail },
  },
  {
    name: 'POST /api/v1/invitations/{token}:accept',
    method: 'post',
    setup: async (ts) => {
      const { id, link } = await inviteFull(ts, adminOf(ts));
      return { customerId: id, acceptPath: acceptPath(link) };
    },
    path: ({ acceptPath: path }) => path!,
    valid: () => ({ registeredAccount: 'admin@customer.example.com' }),
    invalid: { registeredAccount: fc.oneof(fc.constant(''), longText(321), notString, fc.constant(null)) },
  },
  {
    name: 'PUT /api/v1/me/preferences',
    method: 'put',
    setup: async () => ({}),
    path: () => '/api/v1/me/preferences',
    valid: () => ({ columns: ['name', 'status', 'country'] }),
    invalid: {
      columns: fc.oneof(
        fc.constant(null),
        fc.string(),
        fc.integer(),
        fc.array(fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[a-z][A-Za-z]*$/.test(s)), { minLength: 1, maxLength: 3 }),
        fc.constant(['noSuchColumn']),
        fc.constant(['name', 'name']),
        fc.constant([]),
        fc.constant(['organizationName']),
        fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
      ),
    },
  },
];

/** Bodies that are invalid for `endpoint` by construction. */
function invalidBodies(endpoint: WriteEndpoint, ids: Ids): fc.Arbitrary<unknown> {
  const accepted = new Set(Object.keys(endpoint.valid(ids)).concat(Object.keys(endpoint.invalid)));
  const kinds: Array<fc.Arbitrary<unknown>> = [
    // Any JSON that is not an object made only of accepted fields (which might be valid).
    fc.jsonValue({ maxDepth: 3 }).filter((v) => !(v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => accepted.has(k)))),
    // A valid body plus a field the endpoint does not know.
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !accepted.has(k) && k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }))
      .map(([k, v]) => ({ ...endpoint.valid(ids), [k]: v })),
  ];
  const fields = Object.keys(endpoint.invalid);
  if (fields.length > 0) {
    // A valid body with one field (or several) set to an invalid value.
    kinds.push(
      fc
        .subarray(fields, { minLength: 1 })
        .chain((chosen) => fc.tuple(...chosen.map((f) => endpoint.invalid[f].map((v) => [f, v] as const))))
        .map((pairs) => ({ ...endpoint.valid(ids), ...Object.fromEntries(pairs) })),
    );
  }
  return fc.oneof(...kinds);
}

function describeAnswer(res: Response): string {
  return `${res.status} ${res.headers['content-type'] ?? ''} ${res.text.slice(0, 300)}`;
}

describe('write endpoints refuse random invalid bodies (fast-check)', () => {
  let ts: TestSystem;

  beforeAll(async () => {
    ts = await startTestSystem();
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const call = (endpoint: WriteEndpoint, path: string) =>
    ts.http()[endpoint.method](path).set(auth(adminOf(ts))).set('Idempotency-Key', randomUUID());

  describe.each(ENDPOINTS)('$name', (endpoint) => {
    let ids: Ids;

    beforeAll(async () => {
      ids = await endpoint.setup(ts);
    });

    it('answers 4xx problem+json with a code and appends nothing, whatever the body', async () => {
      await fc.assert(
        fc.asyncProperty(invalidBodies(endpoint, ids), async (body) => {
          const before = await ts.eventCount();
          const res = await call(endpoint, endpoint.path(ids)).set('Content-Type', 'application/json').send(JSON.stringify(body));
          if (res.status < 400 || res.status >= 500) throw new Error(`answered ${describeAnswer(res)}`);
          if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) throw new Error(`not a problem: ${describeAnswer(res)}`);
          const problem = problemOf(res);
          if (!/^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/.test(problem.code) || problem.status !== res.status) throw new Error(`bad problem: ${describeAnswer(res)}`);
          if (problem.code === 'HTTP.NOT_FOUND') throw new Error(`route missing: ${describeAnswer(res)}`);
          const after = await ts.eventCount();
          if (after !== before) throw new Error(`${after - before} event(s) appended for ${JSON.stringify(body).slice(0, 200)}`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    });

    it.each([
      ['malformed JSON', 'application/json', () => '{"organizationName": "unterminated'],
      ['an oversized JSON body', 'application/json', (ids: Ids) => JSON.stringify({ ...endpoint.valid(ids), filler: 'x'.repeat(2_000_000) })],
      ['a text/plain body', 'text/plain', () => 'hello'],
    ])('answers %s with a 4xx problem and appends nothing', async (_what, contentType, payload) => {
      const before = await ts.eventCount();
      const res = await call(endpoint, endpoint.path(ids)).set('Content-Type', contentType).send(payload(ids));
      if (res.status < 400 || res.status >= 500) throw new Error(`answered ${describeAnswer(res)}`);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(problemOf(res).code).toMatch(/^[A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*$/);
      expect(await ts.eventCount()).toBe(before);
    });

    it('accepts a valid body (the route exists and the generators are what fails)', async () => {
      const fresh = await endpoint.setup(ts); // the probes above may have changed the first one (a closed ticket)
      const res = await call(endpoint, endpoint.path(fresh)).send(endpoint.valid(fresh));
      if (res.status >= 300) throw new Error(`valid body answered ${describeAnswer(res)}`);
    });
  });

  describe('PUT /api/v1/customers/{id}/logo', () => {
    let customerId: string;
    beforeAll(async () => {
      customerId = (await customer(ts)).customerId!;
    });

    it('answers 4xx problems to random bytes, wrong types and oversize images, and appends nothing', async () => {
      const upload = fc.oneof(
        fc.record({ contentType: fc.constantFrom('image/png', 'image/jpeg', 'image/webp'), data: fc.uint8Array({ minLength: 0, maxLength: 2048 }) }),
        fc.record({ contentType: fc.constantFrom('image/gif', 'image/svg+xml', 'text/plain', 'application/pdf', 'application/octet-stream'), data: fc.uint8Array({ minLength: 1, maxLength: 512 }) }),
        fc.constant({ contentType: 'image/png', data: new Uint8Array(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(600 * 1024)])) }),
      );
      await fc.assert(
        fc.asyncProperty(upload, async ({ contentType, data }) => {
          const before = await ts.eventCount();
          const res = await ts
            .http()
            .put(`/api/v1/customers/${customerId}/logo`)
            .set(auth(adminOf(ts)))
            .set('Content-Type', contentType)
            .send(Buffer.from(data));
          if (res.status < 400 || res.status >= 500) throw new Error(`answered ${describeAnswer(res)}`);
          if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) throw new Error(`not a problem: ${describeAnswer(res)}`);
          if (problemOf(res).code === 'HTTP.NOT_FOUND') throw new Error(`route missing: ${describeAnswer(res)}`);
          if ((await ts.eventCount()) !== before) throw new Error(`appended for a ${contentType} of ${data.length} bytes`);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    });
  });
});
