import { DateTime, IANAZone } from 'luxon';

export const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** When a schedule fires: at a wall-clock time of the partner's time zone, every day, one weekday or one day of the month. */
export interface Recurrence {
  frequency: Frequency;
  /** `HH:mm`, 24-hour, local to `timeZone`. */
  time: string;
  /** IANA zone (`Europe/Rome`). */
  timeZone: string;
  /** Weekly: ISO weekday, 1 = Monday … 7 = Sunday. */
  dayOfWeek?: number;
  /** Monthly: 1–31; months without that day fire on their last day. */
  dayOfMonth?: number;
}

export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An IANA zone name the runtime knows (`Europe/Rome`, `UTC`); fixed offsets and abbreviations are refused. */
export function isIanaTimeZone(zone: string): boolean {
  return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) && IANAZone.isValidZone(zone);
}

export function recurrenceProblems(r: Recurrence): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (!(FREQUENCIES as readonly string[]).includes(r.frequency)) problems.push({ field: 'frequency', message: `must be one of ${FREQUENCIES.join(', ')}` });
  if (!TIME_RE.test(r.time)) problems.push({ field: 'time', message: 'must be HH:mm (24-hour)' });
  if (!isIanaTimeZone(r.timeZone)) problems.push({ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Rome' });
  const weekly = r.frequency === 'weekly';
  const monthly = r.frequency === 'monthly';
  if (weekly && !(Number.isInteger(r.dayOfWeek) && r.dayOfWeek! >= 1 && r.dayOfWeek! <= 7)) {
    problems.push({ field: 'dayOfWeek', message: 'weekly schedules need dayOfWeek 1 (Monday) … 7 (Sunday)' });
  }
  if (!weekly && r.dayOfWeek !== undefined) problems.push({ field: 'dayOfWeek', message: 'only weekly schedules have a day of the week' });
  if (monthly && !(Number.isInteger(r.dayOfMonth) && r.dayOfMonth! >= 1 && r.dayOfMonth! <= 31)) {
    problems.push({ field: 'dayOfMonth', message: 'monthly schedules need dayOfMonth 1–31' });
  }
  if (!monthly && r.dayOfMonth !== undefined) problems.push({ field: 'dayOfMonth', message: 'only monthly schedules have a day of the month' });
  return problems;
}

function firesOn(r: Recurrence, day: DateTime): boolean {
  switch (r.frequency) {
    case 'daily':
      return true;
    case 'weekly':
      return day.weekday === r.dayOfWeek;
    case 'monthly':
      return day.day === Math.min(r.dayOfMonth ?? 1, day.daysInMonth ?? 28);
  }
}

/**
 * The schedule's instant on a local calendar day. A time that does not exist that day (the
 * spring-forward gap) moves forward by the gap; a time that exists twice (fall-back) is one
 * fixed instant of the two — either way one instant per day.
 */
function instantOn(r: Recurrence, day: DateTime): DateTime {
  const [hour, minute] = r.time.split(':').map(Number);
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: r.timeZone });
}

/** The first time the schedule fires strictly after `after`: at most one instant per local day, so never twice in a period. */
export function nextOccurrence(r: Recurrence, after: Date): Date {
  let day = DateTime.fromJSDate(after, { zone: r.timeZone }).startOf('day');
  for (let i = 0; i < 800; i++) {
    if (firesOn(r, day)) {
      const at = instantOn(r, day);
      if (at.toMillis() > after.getTime()) return at.toJSDate();
    }
    day = day.plus({ days: 1 });
  }
  throw new Error(`no occurrence of ${JSON.stringify(r)} within 800 days after ${after.toISOString()}`);
}

/** The period an occurrence stands for, in the schedule's zone: the local day (daily, weekly) or month (monthly). */
export function periodOf(r: Recurrence, occurrence: Date): string {
  const local = DateTime.fromJSDate(occurrence, { zone: r.timeZone });
  return r.frequency === 'monthly' ? local.toFormat('yyyy-MM') : local.toFormat('yyyy-MM-dd');
}

/**
 * What to do for a schedule due at `due` (≤ now): fire once for the latest occurrence not after
 * `now` (missed periods while nothing ran are not fired one by one), then wait for the first
 * occurrence after `now`.
 */
export function dueOccurrence(r: Recurrence, due: Date, now: Date): { occurrence: Date; next: Date } {
  let occurrence = due;
  for (let next = nextOccurrence(r, occurrence); next.getTime() <= now.getTime(); next = nextOccurrence(r, occurrence)) occurrence = next;
  return { occurrence, next: nextOccurrence(r, now.getTime() < occurrence.getTime() ? occurrence : now) };
}
