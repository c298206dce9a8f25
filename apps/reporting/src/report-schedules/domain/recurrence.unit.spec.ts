import { dueOccurrence, isIanaTimeZone, nextOccurrence, periodOf, recurrenceProblems, type Recurrence } from './recurrence';

const rome = (r: Partial<Recurrence> = {}): Recurrence => ({ frequency: 'daily', time: '08:00', timeZone: 'Europe/Rome', ...r });
const iso = (d: Date) => d.toISOString();

describe('recurrence', () => {
  it('validates IANA zones and the fields of each frequency', () => {
    expect(isIanaTimeZone('Europe/Rome')).toBe(true);
    expect(isIanaTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isIanaTimeZone('UTC')).toBe(true);
    expect(isIanaTimeZone('Mars/Olympus')).toBe(false);
    expect(isIanaTimeZone('+02:00')).toBe(false);
    expect(isIanaTimeZone('UTC+2')).toBe(false);
    expect(recurrenceProblems(rome())).toEqual([]);
    expect(recurrenceProblems(rome({ time: '24:00', timeZone: 'Europe/Nowhere' })).map((p) => p.field)).toEqual(['time', 'timeZone']);
    expect(recurrenceProblems(rome({ frequency: 'weekly' })).map((p) => p.field)).toEqual(['dayOfWeek']);
    expect(recurrenceProblems(rome({ frequency: 'monthly', dayOfMonth: 32 })).map((p) => p.field)).toEqual(['dayOfMonth']);
    expect(recurrenceProblems(rome({ dayOfMonth: 3 })).map((p) => p.field)).toEqual(['dayOfMonth']);
  });

  it('daily at 08:00 in Rome follows the wall clock across both DST changes', () => {
    // CET (UTC+1) until 29 March 2026 02:00, then CEST (UTC+2) until 25 October 2026 03:00.
    expect(iso(nextOccurrence(rome(), new Date('2026-03-28T06:59:59Z')))).toBe('2026-03-28T07:00:00.000Z');
    // Strictly after: the occurrence itself is not "next".
    expect(iso(nextOccurrence(rome(), new Date('2026-03-28T07:00:00Z')))).toBe('2026-03-29T06:00:00.000Z');
    expect(iso(nextOccurrence(rome(), new Date('2026-10-24T06:00:00Z')))).toBe('2026-10-25T07:00:00.000Z');
  });

  it('a time inside the spring-forward gap fires once that day; a repeated fall-back time fires once', () => {
    const gap = rome({ time: '02:30' });
    const onGapDay = nextOccurrence(gap, new Date('2026-03-28T12:00:00Z'));
    expect(iso(onGapDay)).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST: moved forward by the gap
    expect(iso(nextOccurrence(gap, onGapDay))).toBe('2026-03-30T00:30:00.000Z');
    const twice = nextOccurrence(gap, new Date('2026-10-24T12:00:00Z'));
    expect(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']).toContain(iso(twice));
    expect(iso(nextOccurrence(gap, twice))).toBe('2026-10-26T01:30:00.000Z');
    expect(periodOf(gap, twice)).toBe('2026-10-25');
  });

  it('weekly on a weekday and monthly on a day, clamped to short months', () => {
    const monday = rome({ frequency: 'weekly', dayOfWeek: 1, time: '09:15' });
    expect(iso(nextOccurrence(monday, new Date('2026-03-25T00:00:00Z')))).toBe('2026-03-30T07:15:00.000Z');
    const last = rome({ frequency: 'monthly', dayOfMonth: 31, time: '06:00' });
    const feb = nextOccurrence(last, new Date('2026-02-01T00:00:00Z'));
    expect(iso(feb)).toBe('2026-02-28T05:00:00.000Z');
    expect(periodOf(last, feb)).toBe('2026-02');
    expect(iso(nextOccurrence(last, feb))).toBe('2026-03-31T04:00:00.000Z');
  });

  it('after a long stop it fires once for the latest missed period, then waits for the next one', () => {
    const r = rome();
    const { occurrence, next } = dueOccurrence(r, new Date('2026-03-01T07:00:00Z'), new Date('2026-03-05T10:00:00Z'));
    expect(iso(occurrence)).toBe('2026-03-05T07:00:00.000Z');
    expect(iso(next)).toBe('2026-03-06T07:00:00.000Z');
  });
});
