import { FakeClock, uuidv7 } from '@platform/core';
import { inTransaction } from '@platform/event-store';
import { DeliveryWorld } from '../../emails/testing/delivery-world';
import { BillingReportScheduler } from './billing-report.scheduler';
import { handleSubscriptionEvent } from './subscription-events.handler';

describe('billing report scheduler', () => {
  let world: DeliveryWorld;
  const clock = new FakeClock(new Date('2026-03-01T08:00:00.000Z'));
  const profileId = uuidv7();
  const customerId = uuidv7();

  const scheduler = () => new BillingReportScheduler(world.pool, clock, world.queue, world.facts, world.recipients);

  beforeAll(async () => {
    world = await DeliveryWorld.start();
    world.sender.start();
    await world.pool.query(
      `INSERT INTO notifications_billing_profiles (id, partner_id, name, frequency, send_day, send_month, version, created_at, updated_at)
       VALUES ($1, $2, 'Monthly EU', 'monthly', 5, NULL, 1, $3, $3)`,
      [profileId, world.partnerId, '2026-03-01T08:00:00.000Z'],
    );
    await world.deliver(world.invited(customerId, { locale: 'it', organizationName: 'Rossi SpA' }));
    await world.deliver(
      world.envelope('CustomerUpdated', customerId, {
        changes: { billingReports: { enabled: true, recipients: ['billing@rossi.example', 'unverified@rossi.example'], billingProfileId: profileId } },
      }),
    );
    const { rows } = await world.pool.query<{ token_id: string }>(`SELECT token_id FROM notifications_report_recipients WHERE email = 'billing@rossi.example'`);
    await world.recipients.markVerified(world.pool, rows[0].token_id, clock.now().toISOString());
    const services = world.envelope('CustomerUpdated', customerId, { changes: { locale: 'it' } });
    await inTransaction(world.pool, (tx) =>
      handleSubscriptionEvent(
        {
          ...services,
          type: 'ServicesAdded',
          source: '/msp-platform/subscriptions',
          data: {
            subscriptions: [
              { subscriptionId: uuidv7(), serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 250, unit: 'seats', termEndsAt: '2027-01-01T00:00:00.000Z', pooled: false },
            ],
          },
        } as never,
        tx,
      ),
    );
  });
  afterAll(async () => {
    await world?.stop();
  });

  const billingMails = () => world.smtp.received.filter((m) => m.subject.startsWith('Report di fatturazione'));

  it('sends nothing before the send day', async () => {
    clock.set(new Date('2026-03-04T23:59:59.000Z'));
    expect(await scheduler().tick()).toBe(0);
  });

  it('sends the previous month’s report on the send day, to verified billing addresses only, once per period across restarts', async () => {
    clock.set(new Date('2026-03-05T00:00:00.000Z'));
    expect(await scheduler().tick()).toBe(1);
    expect(await scheduler().tick()).toBe(0);
    clock.set(new Date('2026-03-20T00:00:00.000Z'));
    // A new instance (a restart) finds the period done.
    expect(await scheduler().tick()).toBe(0);
    await world.smtp.waitFor(() => billingMails().length === 1, 10_000, 'the billing report');
    const [mail] = billingMails();
    expect(mail.envelopeTo).toEqual(['billing@rossi.example']);
    expect(mail.subject).toBe('Report di fatturazione febbraio 2026 – Rossi SpA');
    expect(mail.text).toContain('- cloud-backup-m365: 250 seats');
    expect(mail.text).toContain('profilo di fatturazione "Monthly EU"');
  });

  it('sends the next period’s report when its send day comes', async () => {
    clock.set(new Date('2026-04-05T06:00:00.000Z'));
    expect(await Promise.all([scheduler().tick(), scheduler().tick()])).toEqual(expect.arrayContaining([1, 0]));
    await world.smtp.waitFor(() => billingMails().length === 2, 10_000, 'the March report');
    expect(billingMails()[1].subject).toBe('Report di fatturazione marzo 2026 – Rossi SpA');
    const { rows } = await world.pool.query('SELECT period, emails FROM notifications_billing_runs ORDER BY period');
    expect(rows).toEqual([
      { period: '2026-02', emails: 1 },
      { period: '2026-03', emails: 1 },
    ]);
  });
});
