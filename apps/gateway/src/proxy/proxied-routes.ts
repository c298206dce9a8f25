/** API v1 routes served by the customers service (spec: HTTP API v1, F1–F9, F19). */
const CUSTOMERS_ROUTES = /^\/api\/v1\/(customers|invitations|setting-templates|me)(?=$|[/:?])/;

/** Routes a customer calls without a partner token (the invitation link). */
const PUBLIC_ROUTES = /^\/api\/v1\/invitations\/[^/?]+:accept(?=$|\?)/;

export type Upstream = 'customers';

/** Which service answers a request path, if it is a proxied one. */
export function upstreamOf(url: string): Upstream | undefined {
  return CUSTOMERS_ROUTES.test(url) ? 'customers' : undefined;
}

export function isPublicRoute(method: string, url: string): boolean {
  return method === 'POST' && PUBLIC_ROUTES.test(url);
}
