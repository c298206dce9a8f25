import { decideProfile, evolveProfile, initialProfileState, type ProfileState } from '../../shared/domain/profile-decider';
import { billingProfileSpec, duePeriod, latestBillingPeriod, type BillingProfileSettings } from './billing-profile';

const monthly: BillingProfileSettings = { name: 'Monthly EU', frequency: 'monthly', sendDay: 5, sendMonth: null };
const at = (iso: string) => new Date(iso);

describe('billing periods', () => {
  it('monthly: on and after the send day the previous month is due; before it, the month before that', () => {
    expect(latestBillingPeriod(monthly, at('2026-03-05T00:00:00Z'))).toEqual({ period: '2026-02', sendAt: at('2026-03-05T00:00:00Z') });
    expect(latestBillingPeriod(monthly, at('2026-03-31T23:00:00Z')).period).toBe('2026-02');
    expect(latestBillingPeriod(monthly, at('2026-03-04T23:59:59Z'))).toEqual({ period: '2026-01', sendAt: at('2026-02-05T00:00:00Z') });
    expect(latestBillingPeriod(monthly, at('2026-01-02T00:00:00Z'))).toEqual({ period: '2025-11', sendAt: at('2025-12-05T00:00:00Z') });
  });

  it('yearly: the previous year is due from the send day on', () => {
    const yearly = { frequency: 'yearly' as const, sendDay: 10, sendMonth: 2 };
    expect(latestBillingPeriod(yearly, at('2026-02-10T00:00:00Z'))).toEqual({ period: '2025', sendAt: at('2026-02-10T00:00:00Z') });
    expect(latestBillingPeriod(yearly, at('2026-02-09T00:00:00Z'))).toEqual({ period: '2024', sendAt: at('2025-02-10T00:00:00Z') });
  });

  it('nothing is due for a send day that passed before the profile existed', () => {
    expect(duePeriod(monthly, at('2026-03-20T00:00:00Z'), at('2026-03-10T00:00:00Z'))).toBeUndefined();
    expect(duePeriod(monthly, at('2026-04-05T00:00:00Z'), at('2026-03-10T00:00:00Z'))?.period).toBe('2026-03');
  });
});

describe('billing profile decider', () => {
  const partnerId = 'p-1';
  const created = (): ProfileState<BillingProfileSettings> => {
    const d = decideProfile(billingProfileSpec, { type: 'Create', data: { profileId: 'b-1', partnerId, settings: monthly } }, initialProfileState());
    if (!d.ok) throw d.error;
    return d.value.reduce((s, e) => evolveProfile(billingProfileSpec, s, e), initialProfileState<BillingProfileSettings>());
  };

  it('creates, normalises (a monthly profile has no send month) and refuses a second create', () => {
    const d = decideProfile(
      billingProfileSpec,
      { type: 'Create', data: { profileId: 'b-1', partnerId, settings: { ...monthly, name: '  Monthly EU ', sendMonth: 4 } } },
      initialProfileState(),
    );
    expect(d.ok && d.value).toEqual([{ type: 'BillingProfileCreated', data: { profileId: 'b-1', partnerId, settings: monthly } }]);
    const again = decideProfile(billingProfileSpec, { type: 'Create', data: { profileId: 'b-1', partnerId, settings: monthly } }, created());
    expect(!again.ok && again.error.code).toBe('BILLING_PROFILE.ALREADY_EXISTS');
  });

  it('requires a send month for yearly profiles, naming the field', () => {
    const d = decideProfile(billingProfileSpec, { type: 'Update', data: { partnerId, changes: { frequency: 'yearly' } } }, created());
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.error.details).toEqual({ fields: [{ field: 'sendMonth', message: expect.any(String) }] });
  });

  it('updates only what changed, and nothing when nothing changed', () => {
    const state = created();
    const d = decideProfile(billingProfileSpec, { type: 'Update', data: { partnerId, changes: { sendDay: 9 } } }, state);
    expect(d.ok && d.value).toEqual([{ type: 'BillingProfileUpdated', data: { settings: { ...monthly, sendDay: 9 } } }]);
    const same = decideProfile(billingProfileSpec, { type: 'Update', data: { partnerId, changes: { sendDay: 5 } } }, state);
    expect(same.ok && same.value).toEqual([]);
  });

  it('answers 404 to another partner and after deletion', () => {
    const state = created();
    const other = decideProfile(billingProfileSpec, { type: 'Delete', data: { partnerId: 'p-2' } }, state);
    expect(!other.ok && other.error.code).toBe('BILLING_PROFILE.NOT_FOUND');
    const del = decideProfile(billingProfileSpec, { type: 'Delete', data: { partnerId } }, state);
    if (!del.ok) throw del.error;
    const deleted = del.value.reduce((s, e) => evolveProfile(billingProfileSpec, s, e), state);
    const again = decideProfile(billingProfileSpec, { type: 'Update', data: { partnerId, changes: { sendDay: 3 } } }, deleted);
    expect(!again.ok && again.error.code).toBe('BILLING_PROFILE.NOT_FOUND');
  });
});
