import type { FieldProblem, ProfileSpec } from '../../shared/domain/profile-decider';

/**
 * Billing profiles (F2, F18): when a customer's billing report goes out — every month on a
 * day, or every year on a day of a month. The report sent on the send day covers the period
 * before it (the previous month, or the previous year).
 */

export const BILLING_FREQUENCIES = ['monthly', 'yearly'] as const;
export type BillingFrequency = (typeof BILLING_FREQUENCIES)[number];
export const BILLING_PROFILE_CATEGORY = 'billingprofile';

export interface BillingProfileSettings {
  name: string;
  frequency: BillingFrequency;
  /** 1–28: a day every month has. */
  sendDay: number;
  /** 1–12, yearly profiles only. */
  sendMonth: number | null;
}

export const billingProfileSpec: ProfileSpec<BillingProfileSettings> = {
  area: 'BILLING_PROFILE',
  noun: 'billing profile',
  events: { created: 'BillingProfileCreated', updated: 'BillingProfileUpdated', deleted: 'BillingProfileDeleted' },
  normalize: (s) => ({
    name: s.name.trim(),
    frequency: s.frequency,
    sendDay: s.sendDay,
    sendMonth: s.frequency === 'yearly' ? (s.sendMonth ?? null) : null,
  }),
  validate: (s) => {
    const problems: FieldProblem[] = [];
    if (s.name.length < 1 || s.name.length > 100) problems.push({ field: 'name', message: 'name must be 1–100 characters' });
    if (!(BILLING_FREQUENCIES as readonly string[]).includes(s.frequency)) {
      problems.push({ field: 'frequency', message: `frequency must be one of ${BILLING_FREQUENCIES.join(', ')}` });
    }
    if (!Number.isInteger(s.sendDay) || s.sendDay < 1 || s.sendDay > 28) problems.push({ field: 'sendDay', message: 'sendDay must be an integer 1–28' });
    if (s.frequency === 'yearly' && (s.sendMonth === null || !Number.isInteger(s.sendMonth) || s.sendMonth < 1 || s.sendMonth > 12)) {
      problems.push({ field: 'sendMonth', message: 'sendMonth (1–12) is required for yearly profiles' });
    }
    return problems;
  },
};

export interface BillingPeriod {
  /** `2026-02` (monthly) or `2025` (yearly): the period the report covers. */
  period: string;
  /** When its report is due (00:00 UTC on the send day). */
  sendAt: Date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The latest send moment at or before `now`, and the period its report covers. */
export function latestBillingPeriod(s: Pick<BillingProfileSettings, 'frequency' | 'sendDay' | 'sendMonth'>, now: Date): BillingPeriod {
  const y = now.getUTCFullYear();
  if (s.frequency === 'monthly') {
    let year = y;
    let month = now.getUTCMonth(); // 0-based
    let sendAt = new Date(Date.UTC(year, month, s.sendDay));
    if (sendAt > now) {
      month -= 1;
      if (month < 0) {
        month = 11;
        year -= 1;
      }
      sendAt = new Date(Date.UTC(year, month, s.sendDay));
    }
    // Covers the month before the send month.
    const covered = new Date(Date.UTC(year, month - 1, 1));
    return { period: `${covered.getUTCFullYear()}-${pad(covered.getUTCMonth() + 1)}`, sendAt };
  }
  const monthIndex = (s.sendMonth ?? 1) - 1;
  let year = y;
  let sendAt = new Date(Date.UTC(year, monthIndex, s.sendDay));
  if (sendAt > now) {
    year -= 1;
    sendAt = new Date(Date.UTC(year, monthIndex, s.sendDay));
  }
  return { period: String(year - 1), sendAt };
}

/**
 * The period whose report is due now, if any: the latest send moment, unless it came before
 * the profile existed (a profile created on the 20th does not send the report of the 5th).
 */
export function duePeriod(
  s: Pick<BillingProfileSettings, 'frequency' | 'sendDay' | 'sendMonth'>,
  now: Date,
  profileCreatedAt: Date,
): BillingPeriod | undefined {
  const latest = latestBillingPeriod(s, now);
  return latest.sendAt >= profileCreatedAt ? latest : undefined;
}
