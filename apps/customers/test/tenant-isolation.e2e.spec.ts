import { uuidv7 } from '@platform/core';
import type { Response } from 'supertest';
import { auth, bodyOf, createTemplate, expectProblem, expectStatusIn, invite, openTicket, pin, problemOf } from './support/api';
import { as, ROUTES, send, type Ids } from './support/routes';
import { startTestSystem, tokenFor, type TestSystem } from './support/test-system';

/**
 * Spec Actors: "A partner sees and touches only its own customers. Always." Partner B (as its
 * global-admin, who may call everything) probes partner A's ids on every route: the answer is
 * the 404 an unknown id gets, nothing is appended, and A's resource is still there for A.
 */

/** The same ids, each replaced by a fresh one that exists nowhere. */
function unknownIds(ids: Ids): Ids {
  return Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, v === undefined ? v : uuidv7()])) as Ids;
}

/** A 404 problem with the ids it names and the per-request correlation id taken out. */
function comparable(res: Response, ids: Ids): Record<string, unknown> {
  let text = JSON.stringify({ ...problemOf(res), correlationId: undefined });
  for (const id of Object.values(ids)) if (id) text = text.split(id).join('<id>');
  return JSON.parse(text) as Record<string, unknown>;
}

const listIds = (res: Response) => bodyOf<{ items: Array<{ id: string }> }>(res).items.map((c) => c.id);

describe('tenant isolation (partner B probing partner A)', () => {
  let ts: TestSystem;

  beforeAll(async () => {
    ts = await startTestSystem();
  });
  afterAll(async () => {
    await ts?.stop();
  });

  describe.each(ROUTES)('$name', (route) => {
    it("answers B's global-admin 404 as for an unknown id, appends nothing, and keeps working for A", async () => {
      const ids = await route.setup(ts, ts.partnerA);
      const foreign = route.request(ids);
      const missing = unknownIds(ids);
      const before = await ts.eventCount();

      const probe = await send(ts, route, foreign, as(ts.partnerB, 'global-admin'));
      const unknown = await send(ts, route, route.request(missing), as(ts.partnerB, 'global-admin'));

      expectProblem(probe, 404, /\.NOT_FOUND$/);
      expect(problemOf(probe).code).not.toBe('HTTP.NOT_FOUND'); // the route exists; the customer is what is "missing"
      expectProblem(unknown, 404, problemOf(probe).code);
      expect(comparable(probe, ids)).toEqual(comparable(unknown, missing));
      expect(await ts.eventCount()).toBe(before);

      const own = await send(ts, route, foreign, as(ts.partnerA, route.allowed[0]));
      expectStatusIn(own, route.success);
    });
  });

  it("reports A's customers as not found when B applies its own template to them, and appends nothing", async () => {
    const aCustomer = await invite(ts, ts.partnerA.users['global-admin'].token);
    const bTemplate = await createTemplate(ts, ts.partnerB.users['global-admin'].token);
    const unknown = uuidv7();
    const before = await ts.eventCount();
    // Applying is per customer (a batch): each customer gets its own outcome in a 200 answer.
    const res = await ts
      .http()
      .post(`/api/v1/setting-templates/${bTemplate}:apply`)
      .set(as(ts.partnerB, 'global-admin'))
      .set('Idempotency-Key', uuidv7())
      .send({ customerIds: [aCustomer, unknown] });
    expect(res.status).toBe(200);
    const { applied, results } = bodyOf<{ applied: number; results: Array<Record<string, unknown>> }>(res);
    expect(applied).toBe(0);
    expect(results).toEqual([
      expect.objectContaining({ customerId: aCustomer, status: 'failed', code: 'CUSTOMER.NOT_FOUND' }),
      expect.objectContaining({ customerId: unknown, status: 'failed', code: 'CUSTOMER.NOT_FOUND' }),
    ]);
    const { customerId: _a, ...foreignOutcome } = results[0];
    const { customerId: _u, ...unknownOutcome } = results[1];
    expect(foreignOutcome).toEqual(unknownOutcome);
    expect(await ts.eventCount()).toBe(before);
  });

  it("answers 404 for A's ticket id under B's own customer", async () => {
    const aAdmin = ts.partnerA.users['global-admin'].token;
    const aCustomer = await invite(ts, aAdmin);
    const aTicket = await openTicket(ts, aAdmin, aCustomer);
    const bCustomer = await invite(ts, ts.partnerB.users['global-admin'].token);
    const before = await ts.eventCount();
    const note = await ts
      .http()
      .post(`/api/v1/customers/${bCustomer}/support-tickets/${aTicket}/notes`)
      .set(as(ts.partnerB, 'global-admin'))
      .set('Idempotency-Key', uuidv7())
      .send({ text: 'probing' });
    const close = await ts
      .http()
      .post(`/api/v1/customers/${bCustomer}/support-tickets/${aTicket}:close`)
      .set(as(ts.partnerB, 'global-admin'))
      .set('Idempotency-Key', uuidv7())
      .send({});
    expectProblem(note, 404, /\.NOT_FOUND$/);
    expectProblem(close, 404, /\.NOT_FOUND$/);
    expect(await ts.eventCount()).toBe(before);
  });

  it("never lists, counts or shows as pinned A's customers for B", async () => {
    const aAdmin = ts.partnerA.users['global-admin'].token;
    const name = `Zeta Isolation ${uuidv7().slice(-8)} GmbH`;
    const aCustomer = await invite(ts, aAdmin, { organizationName: name, primaryDomain: `zeta-${uuidv7().slice(-8)}.example.de`, countryCode: 'DE' });
    await pin(ts, aAdmin, aCustomer);
    const aTemplate = await createTemplate(ts, aAdmin);
    const bCustomer = await invite(ts, ts.partnerB.users['global-admin'].token, { organizationName: `${name} B` });

    // Read-your-writes: both partners' lists are at least as new as the last write.
    const fresh = { 'X-Min-Position': await ts.headPosition() };

    const aList = await ts.http().get(`/api/v1/customers?search=${encodeURIComponent(name)}`).set(as(ts.partnerA, 'auditor')).set(fresh);
    expect(aList.status).toBe(200);
    expect(listIds(aList)).toContain(aCustomer); // the search does find it for its owner

    for (const role of ['global-admin', 'admin-agent', 'auditor'] as const) {
      const bSearch = await ts.http().get(`/api/v1/customers?search=${encodeURIComponent(name)}`).set(as(ts.partnerB, role)).set(fresh);
      expect(bSearch.status).toBe(200);
      expect(listIds(bSearch)).toEqual([bCustomer]);
      expect(bodyOf<{ total: number }>(bSearch).total).toBe(1);

      const bAll = await ts.http().get('/api/v1/customers?limit=200').set(as(ts.partnerB, role)).set(fresh);
      expect(bAll.status).toBe(200);
      expect(listIds(bAll)).not.toContain(aCustomer);

      const bFiltered = await ts.http().get('/api/v1/customers?country=DE&status=invited&limit=200').set(as(ts.partnerB, role)).set(fresh);
      expect(listIds(bFiltered)).not.toContain(aCustomer);

      const bPinned = await ts.http().get('/api/v1/me/pinned-customers').set(as(ts.partnerB, role)).set(fresh);
      expect(bPinned.status).toBe(200);
      expect(listIds(bPinned)).not.toContain(aCustomer);
    }

    const bTemplates = await ts.http().get('/api/v1/setting-templates').set(as(ts.partnerB, 'auditor')).set(fresh);
    expect(bTemplates.status).toBe(200);
    expect(JSON.stringify(bodyOf(bTemplates))).not.toContain(aTemplate);

    // Same user id, other partner: pins are per partner user, not per user id.
    const sameUserOtherPartner = auth(tokenFor(ts.partnerB.partnerId, ts.partnerA.users['global-admin'].userId, ['global-admin']));
    const crossPinned = await ts.http().get('/api/v1/me/pinned-customers').set(sameUserOtherPartner).set(fresh);
    expect(crossPinned.status).toBe(200);
    expect(listIds(crossPinned)).not.toContain(aCustomer);
  });
});
