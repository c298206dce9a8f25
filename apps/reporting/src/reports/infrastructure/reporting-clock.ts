import { systemClock, type Clock } from '@platform/core';

/** The clock of the report, template and schedule handlers (tests replace it with a FakeClock). */
export const REPORTING_CLOCK = Symbol('REPORTING_CLOCK');
export const reportingClockProvider = { provide: REPORTING_CLOCK, useValue: systemClock as Clock };
