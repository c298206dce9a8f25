/** The clock of the subscriptions service (term ends, expiry, event times); tests inject a fake one. */
export const SUBSCRIPTIONS_CLOCK = Symbol('SUBSCRIPTIONS_CLOCK');
/** The customer facts the subscriptions service reads (its customer directory). */
export const SUBSCRIPTIONS_DIRECTORY_TABLE = 'subscriptions_customer_directory';
export const SUBSCRIPTIONS_DIRECTORY_GROUP = 'subscriptions.customer-directory';
