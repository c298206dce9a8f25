import { ConfigValidationError, loadConfig } from '@platform/service-kit';
import { hasDotSegments, isPublicRoute, ROUTE_TABLE, UPSTREAM_SETTINGS, UPSTREAMS, upstreamOf, upstreamUrl } from './proxied-routes';

describe('gateway route table', () => {
  const cases: Array<[string, ReturnType<typeof upstreamOf>]> = [
    // customers
    ['/api/v1/customers', 'customers'],
    ['/api/v1/customers?search=x&tag=a', 'customers'],
    ['/api/v1/customers/c-1', 'customers'],
    ['/api/v1/customers/c-1?asOf=2026-01-01T00:00:00Z', 'customers'],
    ['/api/v1/customers/c-1/invitation:resend', 'customers'],
    ['/api/v1/customers/c-1/logo', 'customers'],
    ['/api/v1/customers/c-1/management-mode', 'customers'],
    ['/api/v1/customers/c-1/pin', 'customers'],
    ['/api/v1/customers/c-1/tags', 'customers'],
    ['/api/v1/customers/c-1/history', 'customers'],
    ['/api/v1/customers/c-1/support-tickets/t-1:close', 'customers'],
    ['/api/v1/customers/c-1/access-sessions', 'customers'],
    ['/api/v1/customers/c-1/servicesX', 'customers'],
    ['/api/v1/customers/c-1/reportsX', 'customers'],
    ['/api/v1/customers/services', 'customers'],
    ['/api/v1/invitations/tok:accept', 'customers'],
    ['/api/v1/setting-templates/t-1:apply', 'customers'],
    ['/api/v1/me/pinned-customers', 'customers'],
    ['/api/v1/me', 'customers'],
    // subscriptions
    ['/api/v1/service-catalog', 'subscriptions'],
    ['/api/v1/customers/c-1/services', 'subscriptions'],
    ['/api/v1/customers/c-1/services:start', 'subscriptions'],
    ['/api/v1/customers/c-1/services/s-1', 'subscriptions'],
    ['/api/v1/customers/c-1/services?includeExpired=true', 'subscriptions'],
    ['/api/v1/customers/{id}/services/{sid}', 'subscriptions'],
    ['/api/v1/customers/c-1/expired-services-visibility', 'subscriptions'],
    ['/api/v1/service-batches', 'subscriptions'],
    ['/api/v1/service-batches/b-1:retry-failed', 'subscriptions'],
    ['/api/v1/service-batches/b-1/report?format=csv', 'subscriptions'],
    // reporting
    ['/api/v1/customers/c-1/dashboard', 'reporting'],
    ['/api/v1/customers/{id}/dashboard', 'reporting'],
    ['/api/v1/customers/c-1/reports', 'reporting'],
    ['/api/v1/customers/c-1/reports/storage-consumption?format=csv&details=true', 'reporting'],
    ['/api/v1/customers/c-1/reports/job-status', 'reporting'],
    ['/api/v1/report-templates', 'reporting'],
    ['/api/v1/reports/customer-information?format=xlsx', 'reporting'],
    ['/api/v1/report-schedules/r-1', 'reporting'],
    ['/api/v1/telemetry/storage', 'reporting'],
    ['/api/v1/api-keys', 'reporting'],
    // notifications
    ['/api/v1/customers/c-1/report-recipients', 'notifications'],
    ['/api/v1/email-verifications/tok:confirm', 'notifications'],
    ['/api/v1/billing-profiles/b-1', 'notifications'],
    ['/api/v1/job-notification-profiles', 'notifications'],
    ['/api/v1/dev/mailbox', 'notifications'],
    ['/api/v1/dev/mailbox/m-1', 'notifications'],
    ['/api/v1/notifications', 'notifications'],
    // not proxied
    ['/api/v1/customersX', undefined],
    ['/api/v1/reportsX', undefined],
    ['/api/v1/dev', undefined],
    ['/api/v1/dev/other', undefined],
    ['/api/v2/customers', undefined],
    ['/health/live', undefined],
    ['/docs-json', undefined],
    ['/metrics', undefined],
    ['/', undefined],
  ];

  it.each(cases)('%s → %s', (url, upstream) => {
    expect(upstreamOf(url)).toBe(upstream);
  });

  it('lists every upstream with its variable, each owning at least one rule', () => {
    expect([...UPSTREAMS]).toEqual(['customers', 'subscriptions', 'reporting', 'notifications']);
    for (const u of UPSTREAMS) expect(ROUTE_TABLE.some((r) => r.upstream === u)).toBe(true);
    expect(Object.values(UPSTREAM_SETTINGS).map((s) => s.variable)).toEqual(['CUSTOMERS_URL', 'SUBSCRIPTIONS_URL', 'REPORTING_URL', 'NOTIFICATIONS_URL']);
  });

  it('reads each upstream URL from its variable', () => {
    const config = loadConfig(
      { CUSTOMERS_URL: 'http://customers:3000/', REPORTING_URL: 'https://reporting.internal', NOTIFICATIONS_URL: ' ' },
      { mode: 'embedded' },
    );
    expect(UPSTREAMS.map((u) => upstreamUrl(config, u))).toEqual(['http://customers:3000', undefined, 'https://reporting.internal', undefined]);
  });

  it('needs only CUSTOMERS_URL when the gateway runs alone, and validates the other URLs', () => {
    const base = { DATABASE_URL: 'postgresql://u:p@db:5432/gateway', KAFKA_BROKERS: 'kafka:9092', AUTH_JWT_SECRET: 'x'.repeat(32) };
    const gateway = { mode: 'standalone', service: 'gateway' } as const;
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...base, ...env }, gateway);
        return [];
      } catch (e) {
        return (e as ConfigValidationError).problems;
      }
    };
    expect(problems({})).toEqual(['CUSTOMERS_URL is required when the gateway runs alone (e.g. http://customers:3000)']);
    expect(problems({ CUSTOMERS_URL: 'http://customers:3000' })).toEqual([]);
    const all = loadConfig(
      {
        ...base,
        CUSTOMERS_URL: 'http://customers:3000',
        SUBSCRIPTIONS_URL: 'http://subscriptions:3000/',
        REPORTING_URL: 'http://reporting:3000',
        NOTIFICATIONS_URL: 'https://notifications.internal:8443/base/',
      },
      gateway,
    );
    expect(UPSTREAMS.map((u) => upstreamUrl(all, u))).toEqual([
      'http://customers:3000',
      'http://subscriptions:3000',
      'http://reporting:3000',
      'https://notifications.internal:8443/base',
    ]);
    expect(problems({ CUSTOMERS_URL: 'http://customers:3000', SUBSCRIPTIONS_URL: 'ftp://x', REPORTING_URL: 'http://u:secret@r', NOTIFICATIONS_URL: 'nope' })).toEqual([
      'SUBSCRIPTIONS_URL must be an http:// or https:// URL without credentials, got "ftp://x"',
      'REPORTING_URL must be an http:// or https:// URL without credentials, got "http://r"',
      'NOTIFICATIONS_URL must be an http:// or https:// URL without credentials, got "not a URL"',
    ]);
  });

  it('knows the public routes', () => {
    expect(isPublicRoute('POST', '/api/v1/invitations/tok-1:accept')).toBe(true);
    expect(isPublicRoute('POST', '/api/v1/invitations/tok-1:accept?lang=it')).toBe(true);
    expect(isPublicRoute('POST', '/api/v1/email-verifications/tok-1:confirm')).toBe(true);
    expect(isPublicRoute('POST', '/api/v1/telemetry/storage')).toBe(true);
    expect(isPublicRoute('GET', '/api/v1/telemetry')).toBe(true);

    expect(isPublicRoute('GET', '/api/v1/invitations/tok-1:accept')).toBe(false);
    expect(isPublicRoute('POST', '/api/v1/invitations/tok-1:acceptX')).toBe(false);
    expect(isPublicRoute('POST', '/api/v1/invitations/a/b:accept')).toBe(false);
    expect(isPublicRoute('GET', '/api/v1/email-verifications/tok-1:confirm')).toBe(false);
    expect(isPublicRoute('POST', '/api/v1/email-verifications')).toBe(false);
    expect(isPublicRoute('POST', '/api/v1/telemetryX')).toBe(false);
    expect(isPublicRoute('POST', '/api/v1/customers')).toBe(false);
    expect(isPublicRoute('GET', '/api/v1/api-keys')).toBe(false);
  });

  it('spots dot segments, encoded too', () => {
    for (const url of ['/api/v1/telemetry/../customers', '/api/v1/telemetry/%2e%2E/customers', '/api/v1/customers/./c-1', '/api/v1/customers/..']) {
      expect(hasDotSegments(url)).toBe(true);
    }
    for (const url of ['/api/v1/customers/c-1', '/api/v1/customers/a..b', '/api/v1/customers?q=/../x', '/api/v1/customers/.well']) {
      expect(hasDotSegments(url)).toBe(false);
    }
  });
});
