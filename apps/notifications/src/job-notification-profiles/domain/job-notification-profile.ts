import type { FieldProblem, ProfileSpec } from '../../shared/domain/profile-decider';

/**
 * Job notification profiles (F2, F18): which backup job outcomes are reported, to whom, and at
 * most how often (one digest per interval per customer).
 */

/** Backup job outcomes as product environments report them (reporting's telemetry). */
export const JOB_OUTCOMES = ['succeeded', 'partially-succeeded', 'failed', 'canceled'] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];
export const JOB_NOTIFICATION_PROFILE_CATEGORY = 'jobnotificationprofile';
export const MIN_INTERVAL_MINUTES = 15;
export const MAX_INTERVAL_MINUTES = 7 * 24 * 60;
export const MAX_PROFILE_RECIPIENTS = 50;

export interface JobNotificationProfileSettings {
  name: string;
  outcomes: JobOutcome[];
  recipients: string[];
  intervalMinutes: number;
  /** Language of the digests (BCP 47; en, it, fr have templates). */
  locale: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LOCALE_RE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export const jobNotificationProfileSpec: ProfileSpec<JobNotificationProfileSettings> = {
  area: 'JOB_NOTIFICATION_PROFILE',
  noun: 'job notification profile',
  events: { created: 'JobNotificationProfileCreated', updated: 'JobNotificationProfileUpdated', deleted: 'JobNotificationProfileDeleted' },
  normalize: (s) => ({
    name: s.name.trim(),
    outcomes: JOB_OUTCOMES.filter((o) => s.outcomes.includes(o)).concat(s.outcomes.filter((o) => !(JOB_OUTCOMES as readonly string[]).includes(o))),
    recipients: [...new Set(s.recipients.map((r) => r.trim().toLowerCase()))],
    intervalMinutes: s.intervalMinutes,
    locale: s.locale || 'en',
  }),
  validate: (s) => {
    const problems: FieldProblem[] = [];
    if (s.name.length < 1 || s.name.length > 100) problems.push({ field: 'name', message: 'name must be 1–100 characters' });
    if (s.outcomes.length === 0 || s.outcomes.some((o) => !(JOB_OUTCOMES as readonly string[]).includes(o))) {
      problems.push({ field: 'outcomes', message: `outcomes must be one or more of ${JOB_OUTCOMES.join(', ')}` });
    }
    if (s.recipients.length === 0 || s.recipients.length > MAX_PROFILE_RECIPIENTS || s.recipients.some((r) => !EMAIL_RE.test(r) || r.length > 254)) {
      problems.push({ field: 'recipients', message: `recipients must be 1–${MAX_PROFILE_RECIPIENTS} email addresses` });
    }
    if (!Number.isInteger(s.intervalMinutes) || s.intervalMinutes < MIN_INTERVAL_MINUTES || s.intervalMinutes > MAX_INTERVAL_MINUTES) {
      problems.push({ field: 'intervalMinutes', message: `intervalMinutes must be an integer ${MIN_INTERVAL_MINUTES}–${MAX_INTERVAL_MINUTES}` });
    }
    if (!LOCALE_RE.test(s.locale)) problems.push({ field: 'locale', message: 'locale must be a BCP 47 language tag (en, it, fr, …)' });
    return problems;
  },
};

/** Whether a digest may go out now: never before one interval after the last one. */
export function digestDue(lastSentAt: Date | null, intervalMinutes: number, now: Date): boolean {
  return lastSentAt === null || now.getTime() - lastSentAt.getTime() >= intervalMinutes * 60_000;
}
