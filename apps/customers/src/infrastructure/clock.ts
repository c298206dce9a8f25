import { systemClock, type Clock } from '@platform/core';

/** The clock of the F4/F5/F7/F8 handlers (tests replace it with a FakeClock). */
export const CLOCK = Symbol('CUSTOMERS_CLOCK');
export const clockProvider = { provide: CLOCK, useValue: systemClock as Clock };
