/** The clock of every handler and scheduler of the service (tests put a FakeClock here). */
export const NOTIFICATIONS_CLOCK = Symbol('NOTIFICATIONS_CLOCK');
/** Id generator (UUIDv7) of the service. */
export const NOTIFICATIONS_IDS = Symbol('NOTIFICATIONS_IDS');
/** The Mailer the sender delivers through (SMTP, or the embedded mail catcher's SMTP). */
export const MAILER = Symbol('NOTIFICATIONS_MAILER');
