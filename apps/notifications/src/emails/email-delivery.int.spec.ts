import { uuidv7 } from '@platform/core';
import { DeliveryWorld } from './testing/delivery-world';
import { TestSmtpServer } from './testing/test-smtp-server';

describe('email delivery through the outbox to a real SMTP server', () => {
  let world: DeliveryWorld;

  beforeEach(async () => {
    world = await DeliveryWorld.start();
    world.sender.start();
  });
  afterEach(async () => {
    await world?.stop();
  });

  it('sends one email per recipient per event, whatever Kafka redelivers', async () => {
    const customerId = uuidv7();
    const event = world.invited(customerId, { contactEmail: 'Admin@Contoso.example', locale: 'it' });
    expect(await world.deliver(event)).toBe('handled');
    expect(await world.deliver(event)).toBe('duplicate');
    expect(await world.deliver(event)).toBe('duplicate');
    // Even past the inbox (another consumer group, a replay), the outbox key (event, recipient, kind) holds.
    await world.pool.query('DELETE FROM inbox');
    expect(await world.deliver(event)).toBe('handled');
    await world.smtp.waitFor(() => world.smtp.received.length === 1, 10_000, 'the invitation');
    await world.waitForOutbox((rows) => rows.every((r) => r.status === 'sent'), 'sent');
    const [mail] = world.smtp.received;
    expect(mail.envelopeTo).toEqual(['admin@contoso.example']);
    expect(mail.subject).toBe('Invito a collegare Contoso Ltd al vostro fornitore di servizi');
    expect(mail.text).toContain(`https://console.test/api/v1/invitations/tok-${customerId}:accept`);
    expect(await world.outboxRows()).toHaveLength(1);
    expect(world.smtp.received).toHaveLength(1);
  });

  it('keeps trying while the server refuses temporarily (4xx), then delivers everything exactly once', async () => {
    world.smtp.behaviour = 'tempfail';
    const customers = Array.from({ length: 20 }, () => uuidv7());
    for (const id of customers) await world.deliver(world.invited(id));
    await world.waitForOutbox(
      // attempts counts claims: at 3 the first two tries were refused (the third may be in flight).
      (rows) => rows.length === 20 && rows.every((r) => r.status === 'pending' && r.attempts >= 3 && /^SMTP 451/.test(r.last_error ?? '')),
      'two refused tries of every email',
    );
    expect(world.smtp.received).toHaveLength(0);
    world.smtp.behaviour = 'accept';
    await world.waitForOutbox((rows) => rows.length === 20 && rows.every((r) => r.status === 'sent'), 'all sent');
    const recipients = world.smtp.received.map((m) => m.envelopeTo[0]).sort();
    expect(recipients).toEqual(customers.map((id) => `admin-${id.slice(-12)}@contoso.example`).sort());
    expect(new Set(recipients).size).toBe(20);
    expect((await world.outboxRows()).every((r) => r.attempts >= 3)).toBe(true);
  });

  it('parks a permanently refused email (5xx) without retrying it, and still delivers the others', async () => {
    world.smtp.rejected.add('gone@contoso.example');
    const bad = uuidv7();
    const good = uuidv7();
    await world.deliver(world.invited(bad, { contactEmail: 'gone@contoso.example' }));
    await world.deliver(world.invited(good, { contactEmail: 'here@contoso.example' }));
    await world.waitForOutbox((rows) => rows.some((r) => r.status === 'parked') && rows.some((r) => r.status === 'sent'), 'parked and sent');
    const rows = await world.outboxRows();
    expect(rows.find((r) => r.recipient === 'gone@contoso.example')).toMatchObject({ status: 'parked', attempts: 1, last_error: expect.stringMatching(/^SMTP 550/) });
    // A later email goes through; the parked one was not tried again meanwhile.
    await world.deliver(world.invited(uuidv7(), { contactEmail: 'later@contoso.example' }));
    await world.smtp.waitFor(() => world.smtp.to('later@contoso.example').length === 1);
    expect(world.smtp.refusals).toBe(1);
    expect(world.smtp.to('gone@contoso.example')).toHaveLength(0);
    // The log line of a parked email carries no address (the reason quotes codes only).
    expect(rows.find((r) => r.status === 'parked')?.last_error).not.toContain('@');

    // An operator fixed the mailbox and sends it again; other partners cannot.
    world.smtp.rejected.clear();
    const { rows: parked } = await world.pool.query<{ id: string }>(`SELECT id FROM notifications_outbox WHERE status = 'parked'`);
    expect(await world.outbox.requeue(uuidv7(), parked[0].id)).toBeUndefined();
    expect(await world.outbox.requeue(world.partnerId, parked[0].id)).toMatchObject({ id: parked[0].id, kind: 'invitation' });
    world.sender.wake();
    await world.smtp.waitFor(() => world.smtp.to('gone@contoso.example').length === 1, 10_000, 'the retried email');
  });

  it('loses nothing when the SMTP server is down and comes back', async () => {
    const port = world.smtp.listeningPort;
    await world.smtp.stop();
    const ids = Array.from({ length: 5 }, () => uuidv7());
    for (const id of ids) await world.deliver(world.invited(id));
    await world.waitForOutbox((rows) => rows.length === 5 && rows.every((r) => r.last_error !== null && r.status === 'pending'), 'failed tries');
    const revived = await new TestSmtpServer().start({ port });
    try {
      await revived.waitFor(() => revived.received.length === 5, 20_000, 'all five after the restart');
      await world.waitForOutbox((rows) => rows.every((r) => r.status === 'sent'), 'all sent');
      expect(new Set(revived.received.map((m) => m.envelopeTo[0])).size).toBe(5);
    } finally {
      await revived.stop();
    }
  });

  it('sends what a crashed sender had claimed once its lease runs out', async () => {
    await world.sender.stop();
    await world.deliver(world.invited(uuidv7(), { contactEmail: 'claimed@contoso.example' }));
    // A sender claimed it and died before sending.
    expect(await world.outbox.claim(10, 300)).toHaveLength(1);
    world.sender.start();
    await world.smtp.waitFor(() => world.smtp.to('claimed@contoso.example').length === 1, 10_000);
  });

  it('drops the queued emails of a customer who is disconnected, and sends it nothing afterwards', async () => {
    await world.sender.stop();
    const customerId = uuidv7();
    await world.deliver(world.invited(customerId, { contactEmail: 'leaving@contoso.example' }));
    expect(await world.outboxRows(customerId)).toHaveLength(1);
    await world.deliver(world.envelope('CustomerDisconnected', customerId, {}));
    expect(await world.outboxRows(customerId)).toHaveLength(0);
    await world.deliver(world.envelope('InvitationResent', customerId, {
      contactEmail: 'leaving@contoso.example',
      invitation: { link: 'https://console.test/x', expiresAt: '2030-01-01T00:00:00.000Z', draftEmail: 'Hi' },
    }));
    await world.deliver(world.envelope('ReportGenerated', customerId, {
      reportId: uuidv7(),
      reportName: 'Monthly',
      format: 'pdf',
      downloadLink: 'https://console.test/r/1',
      recipients: [{ email: 'partner@msp.test', kind: 'partner' }],
    }));
    expect(await world.outboxRows(customerId)).toHaveLength(0);
    const { rows } = await world.pool.query('SELECT status, organization_name FROM notifications_customers WHERE customer_id = $1', [customerId]);
    expect(rows).toEqual([{ status: 'disconnected', organization_name: null }]);
  });

  it('replaces a still-queued invitation when it is resent, and drops it when it is revoked', async () => {
    await world.sender.stop();
    const resent = uuidv7();
    await world.deliver(world.invited(resent, { contactEmail: 'resent@contoso.example' }));
    await world.deliver(world.envelope('InvitationResent', resent, {
      contactEmail: 'resent@contoso.example',
      invitation: { link: 'https://console.test/new-link', expiresAt: '2030-01-01T00:00:00.000Z', draftEmail: 'Hello again' },
    }));
    const revoked = uuidv7();
    await world.deliver(world.invited(revoked, { contactEmail: 'revoked@contoso.example' }));
    await world.deliver(world.envelope('InvitationRevoked', revoked, {}));
    expect(await world.outboxRows(resent)).toHaveLength(1);
    expect(await world.outboxRows(revoked)).toHaveLength(0);
    world.sender.start();
    await world.smtp.waitFor(() => world.smtp.to('resent@contoso.example').length === 1, 10_000);
    expect(world.smtp.to('resent@contoso.example')[0].text).toContain('https://console.test/new-link');
    expect(world.smtp.to('revoked@contoso.example')).toHaveLength(0);
  });

  it('emails a ready report to partner recipients and to verified customer addresses only', async () => {
    const customerId = uuidv7();
    await world.deliver(world.invited(customerId, { locale: 'fr', organizationName: 'Dupont SA' }));
    await world.deliver(world.envelope('CustomerUpdated', customerId, {
      changes: { serviceReports: { enabled: true, recipients: ['ok@dupont.example', 'unverified@dupont.example'] } },
    }));
    const { rows } = await world.pool.query<{ token_id: string }>(`SELECT token_id FROM notifications_report_recipients WHERE email = 'ok@dupont.example'`);
    await world.recipients.markVerified(world.pool, rows[0].token_id, new Date().toISOString());
    await world.deliver(world.envelope('ReportGenerated', customerId, {
      reportId: uuidv7(),
      reportName: 'Sauvegardes <mars>',
      format: 'pdf',
      downloadLink: 'https://console.test/reports/42?sig=abc',
      recipients: [
        { email: 'ok@dupont.example', kind: 'customer' },
        { email: 'unverified@dupont.example', kind: 'customer' },
        { email: 'noc@msp.test', kind: 'partner' },
      ],
    }));
    await world.waitForOutbox((all) => all.filter((r) => r.kind === 'report-ready' && r.status === 'sent').length === 2, 'two report emails');
    const reports = world.smtp.received.filter((m) => m.subject.includes('Sauvegardes'));
    expect(reports.map((m) => m.envelopeTo[0]).sort()).toEqual(['noc@msp.test', 'ok@dupont.example']);
    expect(reports[0].subject).toBe('Votre rapport « Sauvegardes <mars> » est prêt');
    expect(reports[0].text).toContain('https://console.test/reports/42?sig=abc');
    expect(reports[0].html).toContain('Sauvegardes &lt;mars&gt;');
    expect(reports[0].html).toContain('Dupont SA');
  });

  it('emails a scheduled export (over all customers) to each of its recipients once', async () => {
    const event = world.envelope('ScheduledReportExported', world.partnerId, {
      scheduleId: uuidv7(),
      reportId: uuidv7(),
      reportKind: 'job-status',
      reportName: 'Cloud Backup job status report',
      format: 'xlsx',
      downloadLink: 'https://console.test/api/v1/reports/7/download?sig=abc',
      expiresAt: '2030-01-08T08:00:00.000Z',
      period: '2026-01',
      recipients: [{ email: 'ops@msp.test' }, { email: 'OPS@msp.test' }, { email: 'boss@msp.test' }],
      locale: 'it',
    });
    await world.deliver(event);
    await world.deliver(event);
    await world.waitForOutbox((rows) => rows.filter((r) => r.kind === 'scheduled-export' && r.status === 'sent').length === 2, 'two exports');
    const mails = world.smtp.received.filter((m) => m.subject.includes('Cloud Backup job status report'));
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(['boss@msp.test', 'ops@msp.test']);
    expect(mails[0].subject).toBe(`L'esportazione pianificata "Cloud Backup job status report" (2026-01) è pronta`);
    expect(mails[0].text).toContain('https://console.test/api/v1/reports/7/download?sig=abc');
  });
});
