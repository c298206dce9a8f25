/** What other services say about a customer that shows in the list (F9: services, products, health). */
export const CUSTOMER_FEED_TYPES: ReadonlySet<string> = new Set([
  'ServicesAdded',
  'SubscriptionChanged',
  'SubscriptionExpired',
  'ServicesStarted',
  'CustomerHealthChanged',
]);

export const CUSTOMER_FEED_CATEGORY = 'customerfeed';
export const customerFeedStreamId = (customerId: string): string => `${CUSTOMER_FEED_CATEGORY}-${customerId}`;
