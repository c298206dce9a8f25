import { uuidv7 } from '@platform/core';
import { auth, bodyOf, expectProblem, invite, pin } from './support/api';
import { startTestSystem, tokenFor, type TestSystem } from './support/test-system';

interface Page {
  items: Array<{ id: string; organizationName: string; pinned: boolean }>;
  total: number;
}

/**
 * The list's answer cache (ListResponseCache) must never change what a caller sees: answers are
 * per token and URL, follow every change of the read model, and a bad token is still refused.
 */
describe('customer list answers served again from the cache', () => {
  let ts: TestSystem;
  const partnerId = uuidv7();
  const alice = tokenFor(partnerId, uuidv7(), ['global-admin']);
  const bob = tokenFor(partnerId, uuidv7(), ['auditor']);
  const path = '/api/v1/customers?search=cache&sort=name&limit=10';
  let customerId: string;

  const list = async (token: string, url = path) => {
    const res = await ts.http().get(url).set(auth(token));
    expect(res.status).toBe(200);
    return bodyOf<Page>(res);
  };

  /** Reads (without any read-your-writes hint) until `until` holds: what a browser polling would see. */
  async function eventually(token: string, until: (page: Page) => boolean): Promise<Page> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const page = await list(token);
      if (until(page) || Date.now() > deadline) return page;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    ts = await startTestSystem();
    customerId = await invite(ts, alice, { organizationName: 'Cache Probe Srl', primaryDomain: 'cache-probe.example' });
    await eventually(alice, (p) => p.total === 1);
  });
  afterAll(() => ts?.stop());

  it('gives the same answer twice, and each user their own pins', async () => {
    const first = await list(alice);
    expect(await list(alice)).toEqual(first);
    await pin(ts, alice, customerId);
    expect((await eventually(alice, (p) => p.items[0]?.pinned === true)).items[0].pinned).toBe(true);
    expect((await list(bob)).items[0].pinned).toBe(false);
    expect((await list(alice)).items[0].pinned).toBe(true);
  });

  it('shows a change once the read model has it, through the same token and URL', async () => {
    expect((await list(alice)).items[0].organizationName).toBe('Cache Probe Srl');
    const current = await ts.http().get(`/api/v1/customers/${customerId}`).set(auth(alice));
    const res = await ts
      .http()
      .patch(`/api/v1/customers/${customerId}`)
      .set(auth(alice))
      .set('If-Match', current.headers.etag as string)
      .send({ organizationName: 'Cache Probe Renamed Srl' });
    expect(res.status).toBe(200);
    const page = await eventually(alice, (p) => p.items[0]?.organizationName === 'Cache Probe Renamed Srl');
    expect(page.items[0].organizationName).toBe('Cache Probe Renamed Srl');
  });

  it('still refuses a forged token and a bad query for a URL it has an answer for', async () => {
    await list(alice);
    const [header, payload] = alice.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    expectProblem(await ts.http().get(path).set(auth(forged)), 401, 'AUTH.UNAUTHENTICATED');
    expectProblem(await ts.http().get(`${path}&limit=abc`).set(auth(alice)), 400);
    expectProblem(await ts.http().get(`${path}&limit=abc`).set(auth(alice)), 400);
  });

  it('keeps partners apart: another partner with the same URL sees none of these customers', async () => {
    const other = tokenFor(uuidv7(), uuidv7(), ['global-admin']);
    expect((await list(other)).total).toBe(0);
  });
});
