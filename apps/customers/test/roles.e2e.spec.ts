import { signJwt, type PartnerRole } from '@platform/service-kit';
import { acceptPath, expectProblem, expectStatusIn, inviteFull } from './support/api';
import { as, ROUTES, send, UNSCOPED_ROUTES } from './support/routes';
import { ROLES, startTestSystem, TEST_JWT_SECRET, tokenFor, type TestSystem } from './support/test-system';

/**
 * Spec Actors: global-admin everything; admin-agent everything except disconnecting customers,
 * changing management mode and applying (or creating) setting templates; auditor reads and
 * history only. Every route × role: the permitted call succeeds, the refused one is a 403
 * problem that appends nothing. Without a valid token every route is a 401 problem.
 */

const ALL_ROUTES = [...ROUTES, ...UNSCOPED_ROUTES];

const matrix = ALL_ROUTES.flatMap((route) => ROLES.map((role) => ({ route, role, allowed: route.allowed.includes(role) })));

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('roles (every route × every role)', () => {
  let ts: TestSystem;

  beforeAll(async () => {
    ts = await startTestSystem();
  });
  afterAll(async () => {
    await ts?.stop();
  });

  it.each(matrix)('$route.name as $role (allowed: $allowed)', async ({ route, role, allowed }) => {
    const ids = await route.setup(ts, ts.partnerA);
    const before = await ts.eventCount();
    const res = await send(ts, route, route.request(ids), as(ts.partnerA, role));
    if (allowed) {
      expectStatusIn(res, route.success);
    } else {
      expectProblem(res, 403, 'AUTH.FORBIDDEN');
      expect(await ts.eventCount()).toBe(before);
    }
  });

  it('lets a user with several roles do what any of them allows', async () => {
    const user = tokenFor(ts.partnerA.partnerId, 'multi-role-user', ['auditor', 'admin-agent']);
    const route = ROUTES.find((r) => r.name === 'PUT /api/v1/customers/{id}/tags')!;
    const ids = await route.setup(ts, ts.partnerA);
    expectStatusIn(await send(ts, route, route.request(ids), { Authorization: `Bearer ${user}` }), route.success);
  });

  describe('POST /api/v1/invitations/{token}:accept (customer side)', () => {
    it('is public: the signed link is the credential, and it works once', async () => {
      const { link } = await inviteFull(ts, ts.partnerA.users['global-admin'].token);
      const accepted = await ts.http().post(acceptPath(link)).send({ registeredAccount: 'admin@customer.example.com' });
      expect(accepted.status).toBe(200);
      const before = await ts.eventCount();
      const again = await ts.http().post(acceptPath(link)).send({ registeredAccount: 'admin@customer.example.com' });
      expectProblem(again, 409, 'CUSTOMER.INVITATION_ALREADY_USED');
      expect(await ts.eventCount()).toBe(before);
    });

    it('answers a tampered token with 404 and appends nothing', async () => {
      const { link } = await inviteFull(ts, ts.partnerA.users['global-admin'].token);
      const path = acceptPath(link);
      // Flip the signature's first character (its last one may only carry padding bits).
      const dot = path.lastIndexOf('.');
      const tampered = `${path.slice(0, dot + 1)}${path[dot + 1] === 'A' ? 'B' : 'A'}${path.slice(dot + 2)}`;
      expect(tampered).not.toBe(path);
      const before = await ts.eventCount();
      const res = await ts.http().post(tampered).send({ registeredAccount: 'admin@customer.example.com' });
      expectProblem(res, 404, 'CUSTOMER.INVITATION_NOT_FOUND');
      expect(await ts.eventCount()).toBe(before);
    });
  });

  describe('authentication', () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = (roles: unknown) => ({ sub: 'user-1', pid: 'partner-1', roles, iat: now, exp: now + 600 });
    const badTokens: Array<[string, () => string]> = [
      ['signed with another secret', () => signJwt({ sub: 'u', pid: 'p', roles: ['global-admin'] }, 'another-secret-of-at-least-32-characters!!', 600)],
      ['expired', () => signJwt({ sub: 'u', pid: 'p', roles: ['global-admin'] }, TEST_JWT_SECRET, 60, new Date(Date.now() - 3_600_000))],
      ['not a JWT', () => 'garbage'],
      ['alg none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims(['global-admin']))}.`],
      ['an unknown role', () => signJwt({ sub: 'u', pid: 'p', roles: ['root' as PartnerRole] }, TEST_JWT_SECRET, 600)],
      ['no roles', () => signJwt({ sub: 'u', pid: 'p', roles: [] }, TEST_JWT_SECRET, 600)],
    ];

    it.each(ALL_ROUTES.map((route) => ({ route })))('$route.name answers 401 without a token and with bad ones', async ({ route }) => {
      const ids = await route.setup(ts, ts.partnerA);
      const req = route.request(ids);
      const before = await ts.eventCount();

      const anonymous = await send(ts, route, req, {});
      expectProblem(anonymous, 401, 'AUTH.UNAUTHENTICATED');
      expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);

      for (const [why, token] of badTokens) {
        const res = await send(ts, route, req, { Authorization: `Bearer ${token()}` });
        if (res.status !== 401) throw new Error(`token ${why}: expected 401, got ${res.status}: ${res.text}`);
        expectProblem(res, 401, 'AUTH.UNAUTHENTICATED');
      }
      const basic = await send(ts, route, req, { Authorization: 'Basic dXNlcjpwYXNz' });
      expectProblem(basic, 401, 'AUTH.UNAUTHENTICATED');
      expect(await ts.eventCount()).toBe(before);
    });
  });
});
