import { systemClock, type Clock } from '@platform/core';

/** The clock of the batch handlers and runner (tests replace it with a FakeClock). */
export const SERVICE_BATCH_CLOCK = Symbol('SERVICE_BATCH_CLOCK');
export const serviceBatchClockProvider = { provide: SERVICE_BATCH_CLOCK, useValue: systemClock as Clock };
