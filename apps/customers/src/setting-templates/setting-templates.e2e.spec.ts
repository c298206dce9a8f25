import { randomUUID } from 'node:crypto';
import { auth, bodyOf, expectProblem, invite } from '../../test/support/api';
import { startTestSystem, type TestSystem } from '../../test/support/test-system';
import { customerStreamId } from '../customers/domain/customer.events';
import { inviteActiveCustomer, streamEvents } from '../partner-users/testing/customers-e2e';

type Template = { id: string; name: string; settings: Record<string, unknown>; tags: string[]; createdAt: string };
type ApplyAnswer = {
  templateId: string;
  applied: number;
  failed: number;
  results: Array<{ customerId: string; status: string; eventId?: string; code?: string }>;
};

describe('F5 setting templates over HTTP', () => {
  let ts: TestSystem;
  let admin: string;
  const template = {
    name: 'Italian SMB',
    settings: {
      locale: 'it',
      countryCode: 'IT',
      serviceReports: { enabled: true, recipients: ['reports@example.it'] },
      jobNotificationProfileId: 'nightly-failures',
    },
    tags: ['smb'],
  };

  beforeAll(async () => {
    ts = await startTestSystem();
    admin = ts.partnerA.users['global-admin'].token;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const create = async (token = admin, body: object = template) =>
    ts.http().post('/api/v1/setting-templates').set(auth(token)).set('Idempotency-Key', randomUUID()).send(body);
  const apply = (templateId: string, customerIds: string[], token = admin, key: string = randomUUID()) =>
    ts.http().post(`/api/v1/setting-templates/${templateId}:apply`).set(auth(token)).set('Idempotency-Key', key).send({ customerIds });

  it('creates a template (201, Location) that reads back one by one and in the list', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    const created = bodyOf<Template>(res);
    expect(created).toEqual({ id: expect.any(String), ...template, createdAt: expect.any(String) });
    expect(res.headers.location).toBe(`/api/v1/setting-templates/${created.id}`);

    const one = await ts.http().get(`/api/v1/setting-templates/${created.id}`).set(auth(ts.partnerA.users.auditor.token));
    expect(one.status).toBe(200);
    expect(bodyOf(one)).toEqual(created);
    const list = await ts.http().get('/api/v1/setting-templates').set(auth(admin)).set('X-Min-Position', res.headers['x-log-position']);
    expect(bodyOf<{ items: Template[] }>(list).items).toContainEqual(created);
  });

  it('refuses invalid templates with the failing fields, and non-admins, writing nothing', async () => {
    const before = await ts.eventCount();
    for (const body of [
      { ...template, name: '' },
      { ...template, name: 'x'.repeat(201) },
      { ...template, settings: { countryCode: 'Italy' } },
      { ...template, settings: { billingReports: { enabled: true, recipients: ['not-an-email'] } } },
      { name: 'Empty', settings: {} },
      { ...template, unknown: 1 },
    ]) {
      const res = await create(admin, body);
      expectProblem(res, 400);
      expect(JSON.parse(res.text).errors.length).toBeGreaterThan(0);
    }
    expectProblem(await create(ts.partnerA.users['admin-agent'].token), 403, 'AUTH.FORBIDDEN');
    expectProblem(await create(ts.partnerA.users.auditor.token), 403, 'AUTH.FORBIDDEN');
    expect(await ts.eventCount()).toBe(before);
  });

  it('applies a template to many customers at once, each on its own history, and a retry applies nothing twice', async () => {
    const templateId = bodyOf<Template>(await create()).id;
    const invited = await invite(ts, admin, { tags: ['gold'] });
    const active = await inviteActiveCustomer(ts, admin);
    const key = randomUUID();

    const res = await apply(templateId, [invited, active], admin, key);
    expect(res.status).toBe(200);
    expect(res.headers['x-log-position']).toMatch(/^\d+$/);
    const answer = bodyOf<ApplyAnswer>(res);
    expect(answer).toMatchObject({ templateId, applied: 2, failed: 0 });
    expect(answer.results.map((r) => [r.customerId, r.status])).toEqual([
      [invited, 'applied'],
      [active, 'applied'],
    ]);

    const events = await streamEvents(ts, customerStreamId(invited));
    const applied = events.filter((e) => e.type === 'SettingTemplateApplied');
    expect(applied.map((e) => [e.id, e.data])).toEqual([
      [answer.results[0].eventId, { templateId, templateName: 'Italian SMB', settings: template.settings, tags: ['gold', 'smb'] }],
    ]);
    const customer = await ts.http().get(`/api/v1/customers/${invited}`).set(auth(admin)).set('X-Min-Position', res.headers['x-log-position']);
    expect(bodyOf(customer)).toMatchObject({ locale: 'it', tags: ['gold', 'smb'] });

    // The same request again: answered from the first answer, nothing appended (a retry after a
    // failure part-way is the handler's deterministic event ids: apply-setting-template.handler.unit.spec.ts).
    const before = await ts.eventCount();
    const retried = await apply(templateId, [invited, active], admin, key);
    expect(retried.status).toBe(200);
    expect(await ts.eventCount()).toBe(before);
  });

  it("reports each customer's failure on its own line: unknown, another partner's, customer-managed, disconnected", async () => {
    const templateId = bodyOf<Template>(await create()).id;
    const ok = await invite(ts, admin);
    const managed = await inviteActiveCustomer(ts, admin);
    await ts.http().put(`/api/v1/customers/${managed}/management-mode`).set(auth(admin)).send({ mode: 'customer' }).expect(200);
    const gone = await invite(ts, admin);
    await ts.http().delete(`/api/v1/customers/${gone}`).set(auth(admin)).send({ confirmation: 'Yes' }).expect((r) => expect(r.status).toBeLessThan(300));
    const othersCustomer = await invite(ts, ts.partnerB.users['global-admin'].token);
    const unknown = '0192e5f0-0000-7000-8000-00000000dead';

    const answer = bodyOf<ApplyAnswer>(await apply(templateId, [ok, unknown, othersCustomer, managed, gone]));
    expect(answer).toMatchObject({ applied: 1, failed: 4 });
    expect(answer.results.map((r) => [r.customerId, r.status, r.code])).toEqual([
      [ok, 'applied', undefined],
      [unknown, 'failed', 'CUSTOMER.NOT_FOUND'],
      [othersCustomer, 'failed', 'CUSTOMER.NOT_FOUND'],
      [managed, 'failed', 'CUSTOMER.CUSTOMER_MANAGED'],
      [gone, 'failed', 'CUSTOMER.NOT_FOUND'],
    ]);
    expect((await streamEvents(ts, customerStreamId(othersCustomer))).map((e) => e.type)).toEqual(['CustomerInvited']);
  });

  it('refuses bad customer lists (400), non-admins (403), unknown templates (404), writing nothing', async () => {
    const templateId = bodyOf<Template>(await create()).id;
    const customerId = await invite(ts, admin);
    const before = await ts.eventCount();
    for (const customerIds of [[], ['nope'], [customerId, customerId], Array.from({ length: 101 }, () => randomUUID())]) {
      expectProblem(await apply(templateId, customerIds), 400);
    }
    expectProblem(await apply(templateId, [customerId], ts.partnerA.users['admin-agent'].token), 403, 'AUTH.FORBIDDEN');
    expectProblem(await apply(templateId, [customerId], ts.partnerA.users.auditor.token), 403, 'AUTH.FORBIDDEN');
    expectProblem(await apply('0192e5f0-0000-7000-8000-00000000dead', [customerId]), 404, 'SETTING_TEMPLATE.NOT_FOUND');
    expectProblem(await apply('not-a-uuid', [customerId]), 404, 'SETTING_TEMPLATE.NOT_FOUND');
    expect(await ts.eventCount()).toBe(before);
  });

  it("gives partner B 404 on partner A's template (read and apply) and never lists it", async () => {
    const created = await create();
    const templateId = bodyOf<Template>(created).id;
    const b = ts.partnerB.users['global-admin'].token;
    const bCustomer = await invite(ts, b);
    const before = await ts.eventCount();
    expectProblem(await ts.http().get(`/api/v1/setting-templates/${templateId}`).set(auth(b)), 404, 'SETTING_TEMPLATE.NOT_FOUND');
    expectProblem(await apply(templateId, [bCustomer], b), 404, 'SETTING_TEMPLATE.NOT_FOUND');
    const list = await ts.http().get('/api/v1/setting-templates').set(auth(b)).set('X-Min-Position', created.headers['x-log-position']);
    expect(bodyOf<{ items: Template[] }>(list).items.map((t) => t.id)).not.toContain(templateId);
    expect(await ts.eventCount()).toBe(before);
  });
});
