import type { ServiceConfig } from '@platform/service-kit';

/** The services the gateway forwards to when it runs alone. */
export const UPSTREAMS = ['customers', 'subscriptions', 'reporting', 'notifications'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

/** Where each upstream's base URL comes from: the environment variable and the config field. */
export const UPSTREAM_SETTINGS: Readonly<Record<Upstream, { variable: string; field: keyof ServiceConfig }>> = {
  customers: { variable: 'CUSTOMERS_URL', field: 'customersUrl' },
  subscriptions: { variable: 'SUBSCRIPTIONS_URL', field: 'subscriptionsUrl' },
  reporting: { variable: 'REPORTING_URL', field: 'reportingUrl' },
  notifications: { variable: 'NOTIFICATIONS_URL', field: 'notificationsUrl' },
};

/** The configured base URL of an upstream, if any. */
export function upstreamUrl(config: ServiceConfig, upstream: Upstream): string | undefined {
  const value = config[UPSTREAM_SETTINGS[upstream].field];
  return typeof value === 'string' ? value : undefined;
}

export interface RouteRule {
  upstream: Upstream;
  pattern: RegExp;
}

/** A path segment ends at `/`, at `:` (custom methods such as `services:start`), at the query, or at the end. */
const END = '(?=$|[/:?])';
const API = '^/api/v1/';
const CUSTOMER = `${API}customers/[^/?:]+/`;
const rule = (upstream: Upstream, prefix: string, names: string[]): RouteRule => ({
  upstream,
  pattern: new RegExp(`${prefix}(?:${names.join('|')})${END}`),
});

/**
 * API v1 route ownership, first match wins. Sub-resources of a customer that other services own
 * (`/api/v1/customers/{id}/services…`, `…/dashboard…`, …) come before the customers service's
 * catch-all for `/api/v1/customers…`. Paths are matched as sent (documentation paths such as
 * `/api/v1/customers/{id}/services` match too, which is how /docs picks each service's part).
 */
export const ROUTE_TABLE: readonly RouteRule[] = [
  rule('subscriptions', CUSTOMER, ['services', 'expired-services-visibility']),
  rule('reporting', CUSTOMER, ['dashboard', 'reports']),
  rule('notifications', CUSTOMER, ['report-recipients']),
  rule('subscriptions', API, ['service-catalog', 'service-batches']),
  rule('reporting', API, ['report-templates', 'reports', 'report-schedules', 'telemetry', 'api-keys']),
  rule('notifications', API, ['email-verifications', 'billing-profiles', 'job-notification-profiles', 'dev/mailbox', 'notifications']),
  rule('customers', API, ['customers', 'invitations', 'setting-templates', 'me']),
];

/**
 * Routes called without a partner token: a customer accepting an invitation or confirming an
 * email address (the token is in the link), and product environments sending telemetry (the
 * reporting service checks their X-Api-Key).
 */
const PUBLIC_ROUTES: ReadonlyArray<{ method?: string; pattern: RegExp }> = [
  { method: 'POST', pattern: /^\/api\/v1\/invitations\/[^/?]+:accept(?=$|\?)/ },
  { method: 'POST', pattern: /^\/api\/v1\/email-verifications\/[^/?]+:confirm(?=$|\?)/ },
  { pattern: /^\/api\/v1\/telemetry(?=$|[/?])/ },
];

/** Which service answers a request path, if it is a proxied one. */
export function upstreamOf(url: string): Upstream | undefined {
  return ROUTE_TABLE.find((r) => r.pattern.test(url))?.upstream;
}

export function isPublicRoute(method: string, url: string): boolean {
  return PUBLIC_ROUTES.some((r) => (r.method === undefined || r.method === method) && r.pattern.test(url));
}

/**
 * `.` or `..` path segments (also percent-encoded): a path that routes to one service here could
 * mean another once normalised behind it, so such requests are refused rather than forwarded.
 */
export function hasDotSegments(url: string): boolean {
  const path = url.split('?', 1)[0];
  return path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}
