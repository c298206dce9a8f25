import { randomUUID } from 'node:crypto';
import { startTestSystem, type TestSystem } from '../../../deploy/embedded/testing/embedded-test-system';
import { auth, bodyOf, eventually, expectProblem } from './support/notifications-api';

type Profile = Record<string, unknown> & { id: string; version: number };

const resources = [
  {
    path: '/api/v1/billing-profiles',
    area: 'BILLING_PROFILE',
    valid: { name: 'Monthly EU', frequency: 'monthly', sendDay: 5 },
    change: { frequency: 'yearly', sendMonth: 2 },
    changed: { frequency: 'yearly', sendMonth: 2, sendDay: 5 },
    invalid: { name: '', frequency: 'weekly', sendDay: 31 },
    invalidFields: ['name', 'frequency', 'sendDay'],
    crossFieldInvalid: { frequency: 'yearly' },
    crossField: 'sendMonth',
  },
  {
    path: '/api/v1/job-notification-profiles',
    area: 'JOB_NOTIFICATION_PROFILE',
    valid: { name: 'Failures to the NOC', outcomes: ['failed'], recipients: ['noc@partner.example'], intervalMinutes: 60, locale: 'fr' },
    change: { outcomes: ['partially-succeeded', 'failed'], recipients: ['NOC@partner.example', 'ops@partner.example'] },
    changed: { outcomes: ['partially-succeeded', 'failed'], recipients: ['noc@partner.example', 'ops@partner.example'], intervalMinutes: 60 },
    invalid: { name: 'x', outcomes: ['exploded'], recipients: ['not-an-address'], intervalMinutes: 1 },
    invalidFields: ['outcomes', 'recipients', 'intervalMinutes'],
    crossFieldInvalid: undefined,
    crossField: undefined,
  },
] as const;

describe.each(resources)('$path over HTTP (roles, validation, tenant isolation)', (r) => {
  let ts: TestSystem;
  let admin: string;
  let agent: string;
  let auditor: string;
  let otherAdmin: string;

  beforeAll(async () => {
    ts = await startTestSystem();
    admin = ts.partnerA.users['global-admin'].token;
    agent = ts.partnerA.users['admin-agent'].token;
    auditor = ts.partnerA.users.auditor.token;
    otherAdmin = ts.partnerB.users['global-admin'].token;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const create = (token: string, body: object, key = randomUUID()) => ts.http().post(r.path).set(auth(token)).set('Idempotency-Key', key).send(body);

  it('creates (201, ETag, Location), reads, lists, updates with If-Match and deletes', async () => {
    const created = await create(agent, r.valid);
    expect(created.status).toBe(201);
    const profile = bodyOf<Profile>(created);
    expect(profile).toMatchObject({ ...r.valid, id: expect.any(String), version: 1 });
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.headers.location).toBe(`${r.path}/${profile.id}`);

    const got = await ts.http().get(`${r.path}/${profile.id}`).set(auth(auditor));
    expect(got.status).toBe(200);
    expect(bodyOf(got)).toEqual(profile);

    const listed = await eventually(async () => {
      const res = await ts.http().get(r.path).set(auth(auditor));
      const items = bodyOf<{ items: Profile[] }>(res).items ?? [];
      return items.some((p) => p.id === profile.id) ? items : undefined;
    });
    expect(listed.find((p) => p.id === profile.id)).toEqual(profile);

    const stale = await ts.http().patch(`${r.path}/${profile.id}`).set(auth(admin)).set('If-Match', 'W/"7"').send(r.change);
    expectProblem(stale, 412, 'REQUEST.PRECONDITION_FAILED');
    const updated = await ts.http().patch(`${r.path}/${profile.id}`).set(auth(admin)).set('If-Match', 'W/"1"').send(r.change);
    expect(updated.status).toBe(200);
    expect(bodyOf(updated)).toMatchObject({ ...r.changed, version: 2 });
    await eventually(async () => {
      const items = bodyOf<{ items: Profile[] }>(await ts.http().get(r.path).set(auth(auditor))).items ?? [];
      return items.find((p) => p.id === profile.id)?.version === 2 ? true : undefined;
    });

    const deleted = await ts.http().delete(`${r.path}/${profile.id}`).set(auth(agent));
    expect(deleted.status).toBe(204);
    expectProblem(await ts.http().get(`${r.path}/${profile.id}`).set(auth(admin)), 404, `${r.area}.NOT_FOUND`);
    await eventually(async () => {
      const items = bodyOf<{ items: Profile[] }>(await ts.http().get(r.path).set(auth(auditor))).items ?? [];
      return items.some((p) => p.id === profile.id) ? undefined : true;
    });
    expectProblem(await ts.http().delete(`${r.path}/${profile.id}`).set(auth(agent)), 404, `${r.area}.NOT_FOUND`);
  });

  it('answers a retried POST with the same Idempotency-Key with the first answer, creating nothing more', async () => {
    const key = randomUUID();
    const first = await create(admin, r.valid, key);
    const second = await create(admin, r.valid, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(bodyOf<Profile>(second).id).toBe(bodyOf<Profile>(first).id);
  });

  it('refuses invalid bodies with 400 problem+json naming each failing field, writing nothing', async () => {
    const before = await ts.eventCount();
    const bad = expectProblem(await create(admin, r.invalid), 400);
    const fields = (bad.errors ?? []).map((e) => e.field.split('.')[0].split('[')[0]);
    for (const f of r.invalidFields) expect(fields).toContain(f);
    expectProblem(await create(admin, { ...r.valid, unexpected: true }), 400);
    if (r.crossFieldInvalid) {
      const cross = expectProblem(await create(admin, { ...r.valid, ...r.crossFieldInvalid }), 400);
      expect((cross.errors ?? []).map((e) => e.field)).toContain(r.crossField);
    }
    expect(await ts.eventCount()).toBe(before);
  });

  it('lets auditors read but not write (403), and requires a token (401)', async () => {
    expectProblem(await create(auditor, r.valid), 403, 'AUTH.FORBIDDEN');
    const { id } = bodyOf<Profile>(await create(admin, r.valid));
    expectProblem(await ts.http().patch(`${r.path}/${id}`).set(auth(auditor)).send(r.change), 403, 'AUTH.FORBIDDEN');
    expectProblem(await ts.http().delete(`${r.path}/${id}`).set(auth(auditor)), 403, 'AUTH.FORBIDDEN');
    expect((await ts.http().get(`${r.path}/${id}`).set(auth(auditor))).status).toBe(200);
    expect((await ts.http().get(r.path)).status).toBe(401);
  });

  it('hides a partner’s profiles from another partner (404 on read, update, delete; absent from its list)', async () => {
    const { id } = bodyOf<Profile>(await create(admin, r.valid));
    expectProblem(await ts.http().get(`${r.path}/${id}`).set(auth(otherAdmin)), 404, `${r.area}.NOT_FOUND`);
    expectProblem(await ts.http().patch(`${r.path}/${id}`).set(auth(otherAdmin)).send(r.change), 404, `${r.area}.NOT_FOUND`);
    expectProblem(await ts.http().delete(`${r.path}/${id}`).set(auth(otherAdmin)), 404, `${r.area}.NOT_FOUND`);
    expectProblem(await ts.http().get(`${r.path}/not-a-uuid`).set(auth(admin)), 404, `${r.area}.NOT_FOUND`);
    await eventually(async () => {
      const mine = bodyOf<{ items: Profile[] }>(await ts.http().get(r.path).set(auth(admin))).items ?? [];
      return mine.some((p) => p.id === id) ? true : undefined;
    });
    const theirs = bodyOf<{ items: Profile[] }>(await ts.http().get(r.path).set(auth(otherAdmin))).items ?? [];
    expect(theirs.some((p) => p.id === id)).toBe(false);
    expect((await ts.http().get(`${r.path}/${id}`).set(auth(admin))).status).toBe(200);
  });
});
