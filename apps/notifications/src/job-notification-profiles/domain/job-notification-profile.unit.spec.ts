import { decideProfile, initialProfileState } from '../../shared/domain/profile-decider';
import { digestDue, jobNotificationProfileSpec, type JobNotificationProfileSettings } from './job-notification-profile';

const valid: JobNotificationProfileSettings = {
  name: 'NOC',
  outcomes: ['failed'],
  recipients: ['noc@msp.example'],
  intervalMinutes: 60,
  locale: 'it',
};
const create = (settings: JobNotificationProfileSettings) =>
  decideProfile(jobNotificationProfileSpec, { type: 'Create', data: { profileId: 'j-1', partnerId: 'p-1', settings } }, initialProfileState());

describe('job notification profiles', () => {
  it('normalises outcomes (canonical order), recipients (lower case, once) and the name', () => {
    const d = create({ ...valid, name: ' NOC ', outcomes: ['failed', 'partially-succeeded'], recipients: ['NOC@msp.example', 'noc@msp.example', 'ops@msp.example'] });
    expect(d.ok && d.value[0].data).toEqual({
      profileId: 'j-1',
      partnerId: 'p-1',
      settings: { ...valid, outcomes: ['partially-succeeded', 'failed'], recipients: ['noc@msp.example', 'ops@msp.example'] },
    });
  });

  it('names every invalid field', () => {
    const d = create({ name: '', outcomes: [], recipients: ['x'], intervalMinutes: 5, locale: 'Italian' });
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect((d.error.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toEqual([
        'name',
        'outcomes',
        'recipients',
        'intervalMinutes',
        'locale',
      ]);
    }
  });

  it('lets a digest go out once per interval', () => {
    const last = new Date('2026-01-01T10:00:00.000Z');
    expect(digestDue(null, 60, last)).toBe(true);
    expect(digestDue(last, 60, new Date('2026-01-01T10:59:59.999Z'))).toBe(false);
    expect(digestDue(last, 60, new Date('2026-01-01T11:00:00.000Z'))).toBe(true);
  });
});
