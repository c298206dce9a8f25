import { startTestSystem, type TestSystem } from '../../../deploy/embedded/testing/embedded-test-system';
import { TestSmtpServer } from '../src/emails/testing/test-smtp-server';
import { bodyOf, disconnect, eventually, invite } from './support/notifications-api';

describe('invitation emails over a real SMTP server (F1, F18)', () => {
  let smtp: TestSmtpServer;
  let ts: TestSystem;
  let admin: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    ts = await startTestSystem({ SMTP_URL: smtp.url, MAIL_FROM: 'Partner Portal <portal@msp.example>' });
    admin = ts.partnerA.users['global-admin'].token;
  });
  afterAll(async () => {
    await ts?.stop();
    await smtp?.stop();
  });

  it('sends the invitation to the contact address, in the customer’s language, with the partner’s text and the personal link', async () => {
    const draft = 'Buongiorno <team>,\n\nvi invitiamo a collegarvi con noi & i nostri servizi.';
    const invited = await invite(ts, admin, { locale: 'it', draftEmail: draft });
    const to = String(invited.body.contactEmail);
    await smtp.waitFor(() => smtp.to(to).length === 1, 20_000, 'the invitation email');
    const [mail] = smtp.to(to);
    expect(mail.from).toBe('Partner Portal <portal@msp.example>');
    expect(mail.subject).toBe(`Invito a collegare ${String(invited.body.organizationName)} al vostro fornitore di servizi`);
    expect(mail.text).toContain('vi invitiamo a collegarvi con noi & i nostri servizi.');
    expect(mail.text).toContain(`Accettate l'invito: ${invited.link}`);
    // HTML: the partner's text escaped, the link as the button's target.
    expect(mail.html).toContain('<p>Buongiorno &lt;team&gt;,</p>');
    expect(mail.html).toContain(`href="${invited.link.replace(/=/g, '&#61;')}"`);
    expect(mail.html).not.toContain('<team>');
  });

  it('names the indirect provider and writes English and French for those locales', async () => {
    const provider = '0193a000-0000-7000-8000-00000000abcd';
    const en = await invite(ts, admin, { locale: 'en', indirectProviderId: provider });
    const fr = await invite(ts, admin, { locale: 'fr' });
    await smtp.waitFor(() => smtp.to(String(en.body.contactEmail)).length === 1 && smtp.to(String(fr.body.contactEmail)).length === 1);
    const enMail = smtp.to(String(en.body.contactEmail))[0];
    expect(enMail.subject).toMatch(/^Invitation to connect /);
    expect(enMail.text).toContain(`indirect provider (reference ${provider})`);
    expect(enMail.text).toContain(en.draftEmail.split('\n')[0]);
    const frMail = smtp.to(String(fr.body.contactEmail))[0];
    expect(frMail.subject).toMatch(/^Invitation à relier /);
    expect(frMail.text).toContain(`Accepter l'invitation : ${fr.link}`);
    expect(frMail.text).not.toContain('indirect');
  });

  it('sends nothing for authorization-link invitations (no contact address)', async () => {
    const before = smtp.received.length;
    const marker = await invite(ts, admin, { accountType: 'authorization-link', contactEmail: undefined });
    // A later invitation is delivered: the authorization-link one was handled before it and sent nothing.
    const after = await invite(ts, admin);
    await smtp.waitFor(() => smtp.to(String(after.body.contactEmail)).length === 1);
    expect(smtp.received.length).toBe(before + 1);
    expect(marker.id).toBeDefined();
  });

  it('emails a resent invitation with the new link', async () => {
    const invited = await invite(ts, admin, { locale: 'en' });
    const to = String(invited.body.contactEmail);
    await smtp.waitFor(() => smtp.to(to).length === 1);
    const res = await ts.http().post(`/api/v1/customers/${invited.id}/invitation:resend`).set({ Authorization: `Bearer ${admin}` }).send({});
    expect(res.status).toBeLessThan(300);
    const newLink = (res.body as { invitation: { link: string } }).invitation.link;
    await smtp.waitFor(() => smtp.to(to).length === 2);
    expect(smtp.to(to)[1].text).toContain(newLink);
    expect(newLink).not.toBe(invited.link);
  });

  it('parks a permanently refused email: listed, counted in /metrics, sent again on request once fixed', async () => {
    const address = `nobody-${Date.now()}@rossi.example.it`;
    smtp.rejected.add(address);
    const invited = await invite(ts, admin, { contactEmail: address });
    const auth = { Authorization: `Bearer ${admin}` };
    const parked = await eventually(async () => {
      const res = await ts.http().get(`/api/v1/notifications/emails?status=parked&customerId=${invited.id}`).set(auth);
      const items = bodyOf<{ items: Array<{ id: string; recipient: string; lastError: string }> }>(res).items ?? [];
      return items.length === 1 ? items[0] : undefined;
    });
    expect(parked).toMatchObject({ recipient: address, lastError: expect.stringMatching(/^SMTP 550/) });
    const metrics = await ts.http().get('/metrics');
    expect(metrics.text).toMatch(/notifications_outbox_emails\{status="parked"\} [1-9]/);
    expect(metrics.text).toMatch(/notifications_emails_total\{kind="invitation",outcome="parked"\} [1-9]/);

    smtp.rejected.delete(address);
    const auditorToken = ts.partnerA.users.auditor.token;
    expect((await ts.http().post(`/api/v1/notifications/emails/${parked.id}:retry`).set({ Authorization: `Bearer ${auditorToken}` })).status).toBe(403);
    const other = ts.partnerB.users['global-admin'].token;
    expect((await ts.http().post(`/api/v1/notifications/emails/${parked.id}:retry`).set({ Authorization: `Bearer ${other}` })).status).toBe(404);
    const retried = await ts.http().post(`/api/v1/notifications/emails/${parked.id}:retry`).set(auth);
    expect(retried.status).toBe(200);
    await smtp.waitFor(() => smtp.to(address).length === 1, 20_000, 'the retried invitation');
  });

  it('has no dev mailbox when SMTP_URL is set (404)', async () => {
    const res = await ts.http().get('/api/v1/dev/mailbox').set({ Authorization: `Bearer ${admin}` });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'MAILBOX.NOT_FOUND' });
  });

  it('drops queued mail of a customer who is disconnected before it went out', async () => {
    smtp.behaviour = 'tempfail';
    try {
      const invited = await invite(ts, admin, { locale: 'en' });
      const to = String(invited.body.contactEmail);
      // Refused once and waiting for its next try (not in flight): that is what a disconnection must drop.
      await eventually(async () => {
        const res = await ts.http().get(`/api/v1/notifications/emails?customerId=${invited.id}`).set({ Authorization: `Bearer ${admin}` });
        const items = bodyOf<{ items: Array<{ status: string; lastError: string | null }> }>(res).items ?? [];
        return items.length === 1 && items[0].status === 'pending' && /^SMTP 451/.test(items[0].lastError ?? '') ? true : undefined;
      });
      await disconnect(ts, admin, invited.id);
      // The outbox forgets the customer's emails.
      for (let i = 0; i < 200; i++) {
        const { rows } = await ts.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications_outbox WHERE customer_id = $1', [invited.id]);
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const { rows } = await ts.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications_outbox WHERE customer_id = $1', [invited.id]);
      expect(rows[0].n).toBe(0);
      smtp.behaviour = 'accept';
      // Another email goes out after the server came back; the disconnected customer's never does.
      const later = await invite(ts, admin, { locale: 'en' });
      await smtp.waitFor(() => smtp.to(String(later.body.contactEmail)).length === 1, 30_000);
      expect(smtp.to(to)).toHaveLength(0);
    } finally {
      smtp.behaviour = 'accept';
    }
  });
});
