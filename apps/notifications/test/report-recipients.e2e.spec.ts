import { startTestSystem, type TestSystem } from '../../../deploy/embedded/testing/embedded-test-system';
import { auth, bodyOf, editCustomer, eventually, expectProblem, invite } from './support/notifications-api';

interface Caught {
  id: string;
  to: string[];
  subject: string;
  text: string | null;
}
interface Recipient {
  email: string;
  purposes: string[];
  state: string;
  verifiedAt: string | null;
}

const TOKEN_RE = /\/api\/v1\/email-verifications\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+):confirm/;

describe('report recipient verification, with the embedded mail catcher (F2, F15, F18)', () => {
  let ts: TestSystem;
  let admin: string;
  let auditor: string;
  let otherAdmin: string;

  beforeAll(async () => {
    // No SMTP_URL: the embedded system catches its own mail and lists it at /api/v1/dev/mailbox.
    ts = await startTestSystem();
    admin = ts.partnerA.users['global-admin'].token;
    auditor = ts.partnerA.users.auditor.token;
    otherAdmin = ts.partnerB.users['global-admin'].token;
  });
  afterAll(async () => {
    await ts?.stop();
  });

  const mailbox = async (): Promise<Caught[]> => {
    const res = await ts.http().get('/api/v1/dev/mailbox?limit=500').set(auth(auditor));
    expect(res.status).toBe(200);
    return bodyOf<{ items: Caught[] }>(res).items ?? [];
  };
  const mailTo = (address: string) =>
    eventually(async () => (await mailbox()).find((m) => m.to.includes(address) && TOKEN_RE.test(m.text ?? '')), 20_000, `mail to ${address}`);
  const recipients = async (customerId: string, token = admin) => {
    const res = await ts.http().get(`/api/v1/customers/${customerId}/report-recipients`).set(auth(token));
    return res;
  };
  const confirm = (token: string) => ts.http().post(`/api/v1/email-verifications/${token}:confirm`).send();

  it('emails each new report address a localised verification link; confirming verifies it and is announced', async () => {
    const customer = await invite(ts, admin, { locale: 'fr' });
    const a = `reports-${customer.id.slice(-6)}@client.example.fr`;
    const b = `billing-${customer.id.slice(-6)}@client.example.fr`;
    await editCustomer(ts, admin, customer.id, {
      serviceReports: { enabled: true, recipients: [a, b] },
      billingReports: { enabled: true, recipients: [b], billingProfileId: 'monthly' },
    });
    const mailA = await mailTo(a);
    const mailB = await mailTo(b);
    expect(mailA.subject).toBe(`Confirmez votre adresse e-mail pour les rapports de ${String(customer.body.organizationName)}`);
    expect(mailA.text).toContain('les rapports de service de');
    expect(mailB.text).toContain('les rapports de service et les rapports de facturation');

    const pending = await eventually(async () => {
      const res = await recipients(customer.id, auditor);
      const items = bodyOf<{ items: Recipient[] }>(res).items ?? [];
      return items.length === 2 ? items : undefined;
    });
    expect(pending).toEqual([
      expect.objectContaining({ email: b, purposes: ['service', 'billing'], state: 'pending', verifiedAt: null }),
      expect.objectContaining({ email: a, purposes: ['service'], state: 'pending', verifiedAt: null }),
    ]);

    const tokenA = TOKEN_RE.exec(mailA.text ?? '')![1];
    const confirmed = await confirm(tokenA);
    expect(confirmed.status).toBe(200);
    expect(bodyOf(confirmed)).toEqual({ status: 'verified', verifiedAt: expect.any(String) });
    const again = await confirm(tokenA);
    expect(again.status).toBe(200);
    expect(bodyOf(again)).toEqual(bodyOf(confirmed));

    const after = bodyOf<{ items: Recipient[] }>(await recipients(customer.id)).items;
    expect(after.find((r) => r.email === a)).toMatchObject({ state: 'verified', verifiedAt: expect.any(String) });
    expect(after.find((r) => r.email === b)).toMatchObject({ state: 'pending' });

    // Announced on notifications.events.v1 for reporting.
    await eventually(async () => {
      const { rows } = await ts.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inprocess_messages WHERE topic = 'notifications.events.v1' AND message_key = $1`,
        [customer.id],
      );
      return rows[0].n === 1 ? true : undefined;
    });
  });

  it('refuses forged and tampered links (404) and forgets removed addresses (their link stops working)', async () => {
    expectProblem(await confirm('bm90LWEtdG9rZW4.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 404, 'EMAIL_VERIFICATION.NOT_FOUND');
    expectProblem(await confirm('garbage'), 404, 'EMAIL_VERIFICATION.NOT_FOUND');

    const customer = await invite(ts, admin, { locale: 'en' });
    const c = `ops-${customer.id.slice(-6)}@client.example.com`;
    await editCustomer(ts, admin, customer.id, { serviceReports: { enabled: true, recipients: [c] } });
    const mail = await mailTo(c);
    expect(mail.subject).toMatch(/^Confirm your email address/);
    const token = TOKEN_RE.exec(mail.text ?? '')![1];
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expectProblem(await confirm(tampered), 404, 'EMAIL_VERIFICATION.NOT_FOUND');

    await editCustomer(ts, admin, customer.id, { serviceReports: { enabled: false, recipients: [] } });
    await eventually(async () => ((bodyOf<{ items: Recipient[] }>(await recipients(customer.id)).items ?? []).length === 0 ? true : undefined));
    expectProblem(await confirm(token), 404, 'EMAIL_VERIFICATION.NOT_FOUND');
  });

  it('sends a new link on the partner’s request; the old one stops working (roles, isolation, validation)', async () => {
    const customer = await invite(ts, admin, { locale: 'it' });
    const d = `again-${customer.id.slice(-6)}@cliente.example.it`;
    await editCustomer(ts, admin, customer.id, { serviceReports: { enabled: true, recipients: [d] } });
    const first = await mailTo(d);
    const oldToken = TOKEN_RE.exec(first.text ?? '')![1];
    const path = `/api/v1/customers/${customer.id}/report-recipients/verification-requests`;
    const post = (token: string, body: object) => ts.http().post(path).set(auth(token)).send(body);

    expectProblem(await post(auditor, { email: d }), 403, 'AUTH.FORBIDDEN');
    expectProblem(await post(otherAdmin, { email: d }), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await post(admin, { email: 'stranger@cliente.example.it' }), 404, 'REPORT_RECIPIENT.NOT_FOUND');
    const invalid = expectProblem(await post(admin, { email: 'not an address' }), 400);
    expect((invalid.errors ?? []).map((e) => e.field)).toContain('email');

    const res = await post(ts.partnerA.users['admin-agent'].token, { email: d.toUpperCase() });
    expect(res.status).toBe(202);
    expect(bodyOf(res)).toEqual({ email: d, state: 'pending', expiresAt: expect.any(String) });
    const second = await eventually(async () => {
      const mails = (await mailbox()).filter((m) => m.to.includes(d));
      return mails.length === 2 ? mails.find((m) => m.id !== first.id) : undefined;
    });
    const newToken = TOKEN_RE.exec(second!.text ?? '')![1];
    expect(newToken).not.toBe(oldToken);
    expectProblem(await confirm(oldToken), 404, 'EMAIL_VERIFICATION.NOT_FOUND');
    expect((await confirm(newToken)).status).toBe(200);
    expectProblem(await post(admin, { email: d }), 409, 'REPORT_RECIPIENT.ALREADY_VERIFIED');
  });

  it('shows recipients only to the customer’s own partner (404 otherwise), to every role', async () => {
    const customer = await invite(ts, admin);
    await eventually(async () => ((await recipients(customer.id)).status === 200 ? true : undefined));
    expect((await recipients(customer.id, auditor)).status).toBe(200);
    expect((await recipients(customer.id, ts.partnerA.users['admin-agent'].token)).status).toBe(200);
    expectProblem(await recipients(customer.id, otherAdmin), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await recipients('00000000-0000-7000-8000-000000000000'), 404, 'CUSTOMER.NOT_FOUND');
    expectProblem(await recipients('not-a-uuid'), 404, 'CUSTOMER.NOT_FOUND');
    expect((await ts.http().get(`/api/v1/customers/${customer.id}/report-recipients`)).status).toBe(401);
  });

  it('lists what went out per partner at /api/v1/notifications/emails, and the caught messages at /api/v1/dev/mailbox', async () => {
    const customer = await invite(ts, admin, { locale: 'it' });
    const to = String(customer.body.contactEmail);
    const caught = await eventually(async () => (await mailbox()).find((m) => m.to.includes(to)));
    expect(caught.subject).toMatch(/^Invito a collegare /);
    const one = await ts.http().get(`/api/v1/dev/mailbox/${caught.id}`).set(auth(admin));
    expect(one.status).toBe(200);
    expect(bodyOf<{ html: string; raw: string }>(one).html).toContain('<h1');
    expectProblem(await ts.http().get('/api/v1/dev/mailbox/999999999').set(auth(admin)), 404, 'MAILBOX.NOT_FOUND');
    expect((await ts.http().get('/api/v1/dev/mailbox')).status).toBe(401);

    const sent = await eventually(async () => {
      const res = await ts.http().get(`/api/v1/notifications/emails?customerId=${customer.id}&status=sent`).set(auth(auditor));
      const items = bodyOf<{ items: Array<{ kind: string; recipient: string; status: string }> }>(res).items ?? [];
      return items.length === 1 ? items : undefined;
    });
    expect(sent[0]).toMatchObject({ kind: 'invitation', recipient: to, status: 'sent' });
    const theirs = await ts.http().get(`/api/v1/notifications/emails?customerId=${customer.id}`).set(auth(otherAdmin));
    expect(bodyOf<{ items: unknown[] }>(theirs).items).toEqual([]);
    expectProblem(await ts.http().get('/api/v1/notifications/emails?status=lost').set(auth(admin)), 400);
    expectProblem(await ts.http().post(`/api/v1/notifications/emails/${customer.id}:retry`).set(auth(auditor)), 403, 'AUTH.FORBIDDEN');
    expectProblem(await ts.http().post(`/api/v1/notifications/emails/${customer.id}:retry`).set(auth(admin)), 404, 'EMAIL.NOT_FOUND');
  });

  it('documents every notifications route in the OpenAPI document, the confirmation as public', async () => {
    const res = await ts.http().get('/docs-json');
    expect(res.status).toBe(200);
    const doc = bodyOf<{ paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>> }>(res);
    for (const path of [
      '/api/v1/billing-profiles',
      '/api/v1/billing-profiles/{id}',
      '/api/v1/job-notification-profiles',
      '/api/v1/job-notification-profiles/{id}',
      '/api/v1/customers/{id}/report-recipients',
      '/api/v1/customers/{id}/report-recipients/verification-requests',
      '/api/v1/email-verifications/{token}:confirm',
      '/api/v1/notifications/emails',
      '/api/v1/notifications/emails/{id}:retry',
      '/api/v1/dev/mailbox',
      '/api/v1/dev/mailbox/{id}',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths['/api/v1/email-verifications/{token}:confirm'].post.security).toEqual([]);
    expect(Object.keys(doc.paths['/api/v1/billing-profiles'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '403']));
  });
});
