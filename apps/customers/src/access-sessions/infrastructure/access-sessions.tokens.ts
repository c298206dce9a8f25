/** Where a partner user's browser goes with the session token (a customer environment's base URL). */
export const CUSTOMER_ENVIRONMENT_BASE_URL = Symbol('CUSTOMER_ENVIRONMENT_BASE_URL');
