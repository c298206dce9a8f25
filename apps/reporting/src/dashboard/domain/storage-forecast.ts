/**
 * SharePoint storage forecast (F14): an ordinary least-squares line through the daily samples
 * (x = day number, y = bytes used), extended over the next days. Named in the answer so
 * nobody mistakes it for something cleverer.
 */
export const FORECAST_METHOD = 'least-squares linear regression';

export interface DailySample {
  date: string;
  usedBytes: number;
}

export interface LinearFit {
  /** Bytes per day. */
  slope: number;
  /** Bytes at day 0 (the first sample's date). */
  intercept: number;
  /** Coefficient of determination (1 when the samples lie on a line, or are constant). */
  r2: number;
  origin: string;
  samples: number;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian, integer arithmetic only: no Date parsing). */
export function epochDay(date: string): number {
  let y = +date.slice(0, 4);
  const m = +date.slice(5, 7);
  const d = +date.slice(8, 10);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The `YYYY-MM-DD` date of a day number (inverse of {@link epochDay}). */
export function dateOfEpochDay(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export const dayNumber = (date: string, origin: string): number => epochDay(date) - epochDay(origin);
export const addDays = (date: string, days: number): string => dateOfEpochDay(epochDay(date) + days);

/** Undefined with fewer than two distinct days (no line through one point). */
export function fitLinear(samples: readonly DailySample[]): LinearFit | undefined {
  if (samples.length < 2) return undefined;
  const sorted = [...samples].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const origin = sorted[0].date;
  const xs = sorted.map((s) => dayNumber(s.date, origin));
  const ys = sorted.map((s) => s.usedBytes);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2, origin, samples: n };
}

export function predict(fit: LinearFit, date: string): number {
  return predictAt(fit, dayNumber(date, fit.origin));
}

const predictAt = (fit: LinearFit, x: number): number => Math.max(0, Math.round(fit.intercept + fit.slope * x));

/** The fitted values for the `days` days after `from` (exclusive). */
export function forecastDays(fit: LinearFit, from: string, days: number): DailySample[] {
  // Day numbers once, not two date parses per forecast day (this runs on every dashboard read).
  const first = epochDay(from) + 1;
  const offset = first - epochDay(fit.origin);
  return Array.from({ length: days }, (_, i) => ({ date: dateOfEpochDay(first + i), usedBytes: predictAt(fit, offset + i) }));
}
