import { FakeClock, uuidv7 } from '@platform/core';
import { DeliveryWorld } from '../../emails/testing/delivery-world';
import { JobDigestScheduler } from './job-digest.scheduler';
import { recordJobResult, type JobResult } from './job-results';

describe('job notification digests', () => {
  let world: DeliveryWorld;
  const clock = new FakeClock(new Date('2026-03-01T08:00:00.000Z'));
  const profileId = uuidv7();
  const customerId = uuidv7();
  const scheduler = () => new JobDigestScheduler(world.pool, clock, world.queue, world.facts);
  const job = (outcome: string, overrides: Partial<JobResult> = {}): JobResult => ({
    eventId: uuidv7(),
    partnerId: world.partnerId,
    customerId,
    product: 'cloud-backup-m365',
    outcome,
    jobName: 'Exchange',
    finishedAt: clock.now().toISOString(),
    ...overrides,
  });
  const digests = () => world.smtp.received.filter((m) => m.subject.startsWith('Tâches de sauvegarde'));

  beforeAll(async () => {
    world = await DeliveryWorld.start();
    world.sender.start();
    await world.pool.query(
      `INSERT INTO notifications_job_notification_profiles (id, partner_id, name, outcomes, recipients, interval_minutes, locale, version, created_at, updated_at)
       VALUES ($1, $2, 'NOC', $3, $4, 60, 'fr', 1, now(), now())`,
      [profileId, world.partnerId, ['partially-succeeded', 'failed'], ['noc@msp.test', 'ops@msp.test']],
    );
    await world.deliver(world.invited(customerId, { organizationName: 'Dupont SA' }));
    await world.deliver(world.envelope('CustomerUpdated', customerId, { changes: { jobNotificationProfileId: profileId } }));
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('keeps only the outcomes the profile asks for, once per event', async () => {
    const failed = job('failed');
    expect(await recordJobResult(world.pool, world.facts, failed)).toBe(true);
    expect(await recordJobResult(world.pool, world.facts, failed)).toBe(false);
    expect(await recordJobResult(world.pool, world.facts, job('succeeded'))).toBe(false);
    expect(await recordJobResult(world.pool, world.facts, job('partially-succeeded', { product: 'cloud-backup-google', jobName: null }))).toBe(true);
    expect(await recordJobResult(world.pool, world.facts, job('failed', { customerId: uuidv7() }))).toBe(false);
  });

  it('keeps the results announced on reporting.events.v1 (BackupJobCompleted), once per event', async () => {
    const event = world.envelope('BackupJobCompleted', customerId, {
      jobId: 'job-1',
      product: 'cloud-backup-google',
      workload: 'Gmail',
      startedAt: clock.now().toISOString(),
      endedAt: clock.now().toISOString(),
      status: 'failed',
      items: 10,
      bytes: 1000,
    });
    expect(await world.deliver(event)).toBe('handled');
    expect(await world.deliver(event)).toBe('duplicate');
    const { rows } = await world.pool.query('SELECT product, outcome, job_name FROM notifications_job_results WHERE event_id = $1', [event.id]);
    expect(rows).toEqual([{ product: 'cloud-backup-google', outcome: 'failed', job_name: 'Gmail' }]);
  });

  it('sends one digest per recipient with every waiting result, then none until the interval has passed', async () => {
    clock.advance(5 * 60_000);
    expect(await scheduler().tick()).toBe(2);
    expect(await scheduler().tick()).toBe(0);
    await world.smtp.waitFor(() => digests().length === 2, 10_000, 'two digests');
    expect(digests()[0].text).toContain('cloud-backup-google · failed · Gmail');
    expect(digests().map((m) => m.envelopeTo[0]).sort()).toEqual(['noc@msp.test', 'ops@msp.test']);
    const [mail] = digests();
    expect(mail.subject).toBe('Tâches de sauvegarde de Dupont SA : 3 résultat(s) à examiner');
    expect(mail.text).toContain('cloud-backup-m365 · failed · Exchange');
    expect(mail.text).toContain('cloud-backup-google · partially-succeeded');
    expect(mail.text).toContain('au plus un tel récapitulatif par heure');

    clock.advance(30 * 60_000);
    await recordJobResult(world.pool, world.facts, job('failed'));
    expect(await scheduler().tick()).toBe(0);
    clock.advance(31 * 60_000);
    expect(await Promise.all([scheduler().tick(), scheduler().tick()])).toEqual(expect.arrayContaining([2, 0]));
    await world.smtp.waitFor(() => digests().length === 4, 10_000, 'the next digests');
    expect(digests()[3].subject).toContain(': 1 résultat(s)');
  });

  it('forgets a disconnected customer’s waiting results', async () => {
    await recordJobResult(world.pool, world.facts, job('failed'));
    await world.deliver(world.envelope('CustomerDisconnected', customerId, {}));
    clock.advance(2 * 3600_000);
    expect(await scheduler().tick()).toBe(0);
    const { rows } = await world.pool.query('SELECT count(*)::int AS n FROM notifications_job_results WHERE customer_id = $1', [customerId]);
    expect(rows[0]).toEqual({ n: 0 });
  });
});
