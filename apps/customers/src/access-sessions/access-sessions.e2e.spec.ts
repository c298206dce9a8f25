import { randomUUID } from 'node:crypto';
import { eventually } from '@platform/testing';
import { auth, bodyOf, expectProblem, invite } from '../../test/support/api';
import { startTestSystem, TEST_JWT_SECRET, type TestSystem } from '../../test/support/test-system';
import { customerStreamId } from '../customers/domain/customer.events';
import { partnerUserStreamId } from '../partner-users/domain/partner-user.events';
import { inviteActiveCustomer, streamEvents } from '../partner-users/testing/customers-e2e';
import { AccessTokenSigner } from './infrastructure/access-token-signer';

type Session = { sessionId: string; token: string; expiresAt: string; environmentUrl: string };

describe('F8 access sessions over HTTP', () => {
  let ts: TestSystem;
  let admin: string;
  let agent: string;
  const signer = new AccessTokenSigner(TEST_JWT_SECRET);

  beforeAll(async () => {
    ts = await startTestSystem();
    admin = ts.partnerA.users['global-admin'].token;
    agent = ts.partnerA.users['admin-agent'].token;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const open = (customerId: string, token = agent, key: string = randomUUID()) =>
    ts.http().post(`/api/v1/customers/${customerId}/access-sessions`).set(auth(token)).set('Idempotency-Key', key).send({});

  it("issues a 15-minute token for one customer's environment (201) and records the access on the customer's history", async () => {
    const customerId = await inviteActiveCustomer(ts, admin);
    const res = await open(customerId);
    expect(res.status).toBe(201);
    const session = bodyOf<Session>(res);
    expect(session.environmentUrl).toMatch(new RegExp(`/customers/${customerId}$`));
    const claims = signer.verify(session.token)!;
    expect(claims.exp - claims.iat).toBe(15 * 60);
    expect(new Date(claims.exp * 1000).toISOString()).toBe(session.expiresAt);
    expect(claims).toMatchObject({
      sub: ts.partnerA.users['admin-agent'].userId,
      pid: ts.partnerA.partnerId,
      cid: customerId,
      sid: session.sessionId,
      aud: 'customer-environment',
    });

    const history = await streamEvents(ts, customerStreamId(customerId));
    expect(history.at(-1)).toMatchObject({
      type: 'CustomerAccessSessionOpened',
      data: { sessionId: session.sessionId, userId: ts.partnerA.users['admin-agent'].userId, expiresAt: session.expiresAt },
      metadata: { customerId, partnerId: ts.partnerA.partnerId },
    });
  });

  it('announces every access on customers.events.v1 (the relay maps it, nothing parked)', async () => {
    const customerId = await inviteActiveCustomer(ts, admin);
    expect((await open(customerId)).status).toBe(201);
    let metrics = '';
    await eventually(
      async () => {
        metrics = (await ts.http().get('/metrics')).text;
        return /integration_events_published_total\{type="CustomerAccessSessionOpened"\} [1-9]/.test(metrics);
      },
      () => metrics.split('\n').filter((l) => l.startsWith('integration_events_published_total') || l.startsWith('projection_parked')).join('\n'),
    );
    expect(metrics).toMatch(/projection_parked_events\{service="customers",projection="customers.integration-relay"\} 0/);
  });

  it("opening a session ends the same user's other open session, and not other users' sessions", async () => {
    const first = await inviteActiveCustomer(ts, admin);
    const second = await inviteActiveCustomer(ts, admin);
    const a = bodyOf<Session>(await open(first));
    const other = bodyOf<Session>(await open(first, admin));
    const b = bodyOf<Session>(await open(second));

    const userEvents = (await streamEvents(ts, partnerUserStreamId(ts.partnerA.users['admin-agent'].userId))).map((e) => [e.type, e.data]);
    expect(userEvents.slice(-3)).toEqual([
      ['AccessSessionStarted', { sessionId: a.sessionId, customerId: first, expiresAt: a.expiresAt }],
      ['AccessSessionEnded', { sessionId: a.sessionId, customerId: first, reason: 'superseded' }],
      ['AccessSessionStarted', { sessionId: b.sessionId, customerId: second, expiresAt: b.expiresAt }],
    ]);
    const adminEvents = (await streamEvents(ts, partnerUserStreamId(ts.partnerA.users['global-admin'].userId))).map((e) => e.type);
    expect(adminEvents.at(-1)).toBe('AccessSessionStarted');
    expect(other.sessionId).not.toBe(a.sessionId);
  });

  it('ends the open sessions on a customer that takes its tenant back (F3) or is disconnected (F6)', async () => {
    const managed = await inviteActiveCustomer(ts, admin);
    const removed = await inviteActiveCustomer(ts, admin);
    const onManaged = bodyOf<Session>(await open(managed, admin));
    const onRemoved = bodyOf<Session>(await open(removed, agent));
    await ts.http().put(`/api/v1/customers/${managed}/management-mode`).set(auth(admin)).send({ mode: 'customer' }).expect(200);
    await ts.http().delete(`/api/v1/customers/${removed}`).set(auth(admin)).send({ confirmation: 'Yes' }).expect((r) => expect(r.status).toBeLessThan(300));

    const endedOn = async (userId: string) =>
      (await streamEvents(ts, partnerUserStreamId(userId))).filter((e) => e.type === 'AccessSessionEnded').map((e) => e.data);
    await eventually(async () => (await endedOn(ts.partnerA.users['global-admin'].userId)).some((d) => d.customerId === managed));
    await eventually(async () => (await endedOn(ts.partnerA.users['admin-agent'].userId)).some((d) => d.customerId === removed));
    expect((await endedOn(ts.partnerA.users['global-admin'].userId)).filter((d) => d.customerId === managed)).toEqual([
      { sessionId: onManaged.sessionId, customerId: managed, reason: 'customer-managed' },
    ]);
    expect((await endedOn(ts.partnerA.users['admin-agent'].userId)).filter((d) => d.customerId === removed)).toEqual([
      { sessionId: onRemoved.sessionId, customerId: removed, reason: 'customer-disconnected' },
    ]);
  });

  it('the same request retried (same Idempotency-Key) gives the same session and records nothing more', async () => {
    const customerId = await inviteActiveCustomer(ts, admin);
    const key = randomUUID();
    const first = await open(customerId, agent, key);
    const before = await ts.eventCount();
    const again = await open(customerId, agent, key);
    expect(again.status).toBe(201);
    expect(bodyOf(again)).toEqual(bodyOf(first));
    expect(await ts.eventCount()).toBe(before);
  });

  it('is refused in customer management mode (409) and for customers that are not active (409), writing nothing', async () => {
    const managed = await inviteActiveCustomer(ts, admin);
    await ts.http().put(`/api/v1/customers/${managed}/management-mode`).set(auth(admin)).send({ mode: 'customer' }).expect(200);
    const invited = await invite(ts, admin);
    const before = await ts.eventCount();
    expectProblem(await open(managed), 409, 'CUSTOMER.CUSTOMER_MANAGED');
    expectProblem(await open(invited), 409, 'CUSTOMER.NOT_ACTIVE');
    expect(await ts.eventCount()).toBe(before);
  });

  it('answers 404 for unknown, malformed and disconnected customers, 403 to auditors, 400/415 to bodies, writing nothing', async () => {
    const gone = await inviteActiveCustomer(ts, admin);
    await ts.http().delete(`/api/v1/customers/${gone}`).set(auth(admin)).send({ confirmation: 'Yes' }).expect((r) => expect(r.status).toBeLessThan(300));
    const active = await inviteActiveCustomer(ts, admin);
    const before = await ts.eventCount();
    expectProblem(await open('0192e5f0-0000-7000-8000-00000000dead'), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await open('not-a-uuid'), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await open(gone), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await open(active, ts.partnerA.users.auditor.token), 403, 'AUTH.FORBIDDEN');
    expectProblem(await ts.http().post(`/api/v1/customers/${active}/access-sessions`).send({}), 401);
    expectProblem(await ts.http().post(`/api/v1/customers/${active}/access-sessions`).set(auth(agent)).send({ unexpected: 1 }), 400, 'REQUEST.INVALID');
    expectProblem(
      await ts.http().post(`/api/v1/customers/${active}/access-sessions`).set(auth(agent)).set('Content-Type', 'text/plain').send('hello'),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    );
    expect(await ts.eventCount()).toBe(before);
  });

  it("gives partner B 404 on partner A's customer, writing nothing", async () => {
    const customerId = await inviteActiveCustomer(ts, admin);
    const before = await ts.eventCount();
    expectProblem(await open(customerId, ts.partnerB.users['global-admin'].token), 404, 'CUSTOMER.NOT_FOUND');
    expect(await ts.eventCount()).toBe(before);
  });
});
