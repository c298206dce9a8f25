/** The clock customer commands decide with (system time; tests bind a FakeClock). */
export const CUSTOMERS_CLOCK = Symbol('CUSTOMERS_CLOCK');
/** Ids of new customers and invitation tokens (UUIDv7). */
export const CUSTOMERS_IDS = Symbol('CUSTOMERS_IDS');
/** Erases a customer's personal data in the log (the protected event store's `shred`). */
export const CUSTOMER_DATA_ERASER = Symbol('CUSTOMER_DATA_ERASER');
