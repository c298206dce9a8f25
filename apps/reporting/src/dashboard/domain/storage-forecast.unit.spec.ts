import { addDays, dateOfEpochDay, dayNumber, epochDay, FORECAST_METHOD, fitLinear, forecastDays, predict } from './storage-forecast';

describe('SharePoint storage forecast (least squares)', () => {
  it('recovers an exact line and extends it', () => {
    const samples = Array.from({ length: 90 }, (_, i) => ({ date: addDays('2026-01-01', i), usedBytes: 1_000_000 + 5_000 * i }));
    const fit = fitLinear(samples)!;
    expect(fit.slope).toBeCloseTo(5_000, 6);
    expect(fit.intercept).toBeCloseTo(1_000_000, 3);
    expect(fit.r2).toBeCloseTo(1, 12);
    const next = forecastDays(fit, '2026-03-31', 90);
    expect(next).toHaveLength(90);
    expect(next[0]).toEqual({ date: '2026-04-01', usedBytes: 1_000_000 + 5_000 * 90 });
    expect(next[89]).toEqual({ date: '2026-06-29', usedBytes: 1_000_000 + 5_000 * 179 });
  });

  it('matches the closed-form least-squares solution on noisy, unevenly spaced samples', () => {
    const samples = [
      { date: '2026-01-01', usedBytes: 10 },
      { date: '2026-01-02', usedBytes: 14 },
      { date: '2026-01-05', usedBytes: 19 },
      { date: '2026-01-09', usedBytes: 31 },
    ];
    // x = 0, 1, 4, 8; y = 10, 14, 19, 31: mean x 3.25, mean y 18.5; Sxy = 97.5, Sxx = 38.75.
    const fit = fitLinear([...samples].reverse())!;
    expect(fit.slope).toBeCloseTo(97.5 / 38.75, 10);
    expect(fit.intercept).toBeCloseTo(18.5 - (97.5 / 38.75) * 3.25, 10);
    expect(fit.r2).toBeGreaterThan(0.97);
    expect(fit.r2).toBeLessThan(1);
    expect(predict(fit, '2026-01-11')).toBe(Math.round(fit.intercept + fit.slope * 10));
    expect(FORECAST_METHOD).toBe('least-squares linear regression');
  });

  it('has no line through fewer than two distinct days, and never forecasts negative storage', () => {
    expect(fitLinear([])).toBeUndefined();
    expect(fitLinear([{ date: '2026-01-01', usedBytes: 5 }])).toBeUndefined();
    const falling = fitLinear([
      { date: '2026-01-01', usedBytes: 100 },
      { date: '2026-01-02', usedBytes: 50 },
    ])!;
    expect(forecastDays(falling, '2026-01-02', 5).map((d) => d.usedBytes)).toEqual([0, 0, 0, 0, 0]);
    expect(dayNumber('2026-03-01', '2026-02-01')).toBe(28);
  });
});

describe('calendar day arithmetic', () => {
  it('agrees with Date over four centuries of days, leap years included', () => {
    for (let n = -30_000; n < 120_000; n += 7) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      expect([n, dateOfEpochDay(n)]).toEqual([n, iso]);
      expect([iso, epochDay(iso)]).toEqual([iso, n]);
    }
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
