export const REPORTING_CLOCK = Symbol('REPORTING_CLOCK');
