/** What other services say about a customer that shows in the list (F9: services, products, health). */
export const CUSTOMER_FEED_EVENT_TYPES = [
  'ServicesAdded',
  'SubscriptionChanged',
  'SubscriptionExpired',
  'ServicesStarted',
  'CustomerHealthChanged',
] as const;
export const CUSTOMER_FEED_TYPES: ReadonlySet<string> = new Set(CUSTOMER_FEED_EVENT_TYPES);

export const CUSTOMER_FEED_CATEGORY = 'customerfeed';
export const customerFeedStreamId = (customerId: string): string => `${CUSTOMER_FEED_CATEGORY}-${customerId}`;
