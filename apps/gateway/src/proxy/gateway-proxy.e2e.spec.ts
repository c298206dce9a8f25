import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import express from 'express';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { createServiceApp, loadConfig, MessageTransportModule, signJwt, type ServiceConfig } from '@platform/service-kit';
import { GatewayModule } from '../gateway.module';
import type { Upstream } from './proxied-routes';
import { UpstreamProxy } from './upstream-proxy';

const SECRET = 'gateway-proxy-test-secret-of-32-characters';
const token = `Bearer ${signJwt({ sub: 'user-1', pid: 'partner-1', roles: ['admin-agent'] }, SECRET, 600)}`;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** The paths each stand-in service documents: one it owns, and one it does not (the gateway must not take it). */
const DOCUMENTED: Record<Upstream, Record<string, unknown>> = {
  customers: {
    '/api/v1/customers': { get: { summary: 'List customers', responses: {} } },
    '/health/live': { get: { summary: 'upstream health', responses: {} } },
  },
  subscriptions: {
    '/api/v1/customers/{id}/services': { post: { summary: 'Add a service', responses: {} } },
    '/api/v1/customers/{id}': { get: { summary: 'not the customers service', responses: {} } },
  },
  reporting: {
    '/api/v1/customers/{id}/dashboard': { get: { summary: 'Dashboard', responses: {} } },
    '/api/v1/telemetry/{kind}': { post: { summary: 'Telemetry', responses: {} } },
    '/api/v1/service-catalog': { get: { summary: 'not the subscriptions service', responses: {} } },
  },
  notifications: {
    '/api/v1/billing-profiles': { get: { summary: 'Billing profiles', responses: {} } },
  },
};

/** A stand-in service: records what reaches it and answers as told by the path. */
function startUpstream(received: Received[], name: Upstream = 'customers'): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url === '/docs-json') {
        res.setHeader('Content-Type', 'application/json');
        res.end(
          JSON.stringify({
            openapi: '3.0.0',
            paths: DOCUMENTED[name],
            components: { schemas: { [`${name}Dto`]: { type: 'object' }, ProblemDetails: { type: 'object', title: name } } },
          }),
        );
        return;
      }
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url?.startsWith('/api/v1/customers/broken')) {
        res.writeHead(503, { 'Content-Type': 'application/problem+json' });
        res.end('{"code":"X"}');
        return;
      }
      res.writeHead(req.method === 'POST' ? 201 : 207, {
        'Content-Type': 'application/json; charset=utf-8',
        ETag: 'W/"3"',
        Location: '/api/v1/customers/c-1',
        'X-Log-Position': '4242',
        'X-Upstream': name,
      });
      res.end(JSON.stringify({ method: req.method, url: req.url, length: body.length }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function stopServer(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
}

/** A gateway running alone (standalone mode) with these upstream URLs. */
async function startGateway(db: TestDatabase, urls: Partial<ServiceConfig>): Promise<INestApplication> {
  const config: ServiceConfig = {
    ...loadConfig({ LOG_LEVEL: 'silent', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '6000', RATE_LIMIT_BURST: '1000' }, { mode: 'embedded' }),
    mode: 'standalone',
    services: ['gateway'],
    databaseUrl: db.connectionString,
    ...urls,
  };
  const app = await createServiceApp({ config, modules: [GatewayModule], infrastructure: [MessageTransportModule], openApi: true });
  await app.init();
  return app;
}

describe('gateway proxying to separate services', () => {
  let db: TestDatabase;
  let upstream: Server;
  const others = {} as Record<Exclude<Upstream, 'customers'>, Server>;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const received: Received[] = [];
  const receivedBy = { subscriptions: [] as Received[], reporting: [] as Received[], notifications: [] as Received[] };

  beforeAll(async () => {
    db = await createTestDatabase();
    upstream = await startUpstream(received, 'customers');
    others.subscriptions = await startUpstream(receivedBy.subscriptions, 'subscriptions');
    others.reporting = await startUpstream(receivedBy.reporting, 'reporting');
    others.notifications = await startUpstream(receivedBy.notifications, 'notifications');
    app = await startGateway(db, {
      customersUrl: urlOf(upstream),
      subscriptionsUrl: urlOf(others.subscriptions),
      reportingUrl: `${urlOf(others.reporting)}`,
      notificationsUrl: urlOf(others.notifications),
    });
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([upstream, ...Object.values(others)].map(stopServer));
    await db?.close();
  });

  const clear = () => {
    received.length = 0;
    for (const list of Object.values(receivedBy)) list.length = 0;
  };
  const urlsAt = (name: Upstream) => (name === 'customers' ? received : receivedBy[name]).map((r) => `${r.method} ${r.url}`);

  it('sends each route family to the service that owns it', async () => {
    const routes: Array<[string, string, Upstream]> = [
      ['GET', '/api/v1/customers/c-1', 'customers'],
      ['GET', '/api/v1/customers/c-1/history', 'customers'],
      ['PUT', '/api/v1/me/preferences', 'customers'],
      ['GET', '/api/v1/service-catalog', 'subscriptions'],
      ['POST', '/api/v1/customers/c-1/services', 'subscriptions'],
      ['POST', '/api/v1/customers/c-1/services:start', 'subscriptions'],
      ['PATCH', '/api/v1/customers/c-1/services/s-1', 'subscriptions'],
      ['PUT', '/api/v1/customers/c-1/expired-services-visibility', 'subscriptions'],
      ['GET', '/api/v1/service-batches/b-1/report?format=csv', 'subscriptions'],
      ['GET', '/api/v1/customers/c-1/dashboard', 'reporting'],
      ['GET', '/api/v1/customers/c-1/reports/storage-consumption?format=csv', 'reporting'],
      ['POST', '/api/v1/report-templates', 'reporting'],
      ['GET', '/api/v1/reports/customer-information?format=xlsx', 'reporting'],
      ['POST', '/api/v1/report-schedules', 'reporting'],
      ['POST', '/api/v1/api-keys', 'reporting'],
      ['GET', '/api/v1/customers/c-1/report-recipients', 'notifications'],
      ['GET', '/api/v1/billing-profiles', 'notifications'],
      ['POST', '/api/v1/job-notification-profiles', 'notifications'],
      ['POST', '/api/v1/email-verifications', 'notifications'],
      ['GET', '/api/v1/dev/mailbox', 'notifications'],
    ];
    clear();
    for (const [method, path, owner] of routes) {
      const call = http[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](path).set('Authorization', token);
      const res = await (method === 'GET' ? call : call.send({ a: 1 }));
      expect([path, res.status, res.headers['x-upstream']]).toEqual([path, method === 'POST' ? 201 : 207, owner]);
    }
    for (const name of ['customers', 'subscriptions', 'reporting', 'notifications'] as const) {
      expect(urlsAt(name)).toEqual(routes.filter(([, , owner]) => owner === name).map(([method, path]) => `${method} ${path}`));
    }
    // The customers service never sees the sub-resources other services own.
    expect(received.some((r) => /\/(services|dashboard|reports|report-recipients|expired-services-visibility)/.test(r.url))).toBe(false);
  });

  it('lets public routes through without a token and forwards X-Api-Key', async () => {
    clear();
    await http.post('/api/v1/email-verifications/tok-9:confirm').send({}).expect(201);
    expect(urlsAt('notifications')).toEqual(['POST /api/v1/email-verifications/tok-9:confirm']);

    const telemetry = await http
      .post('/api/v1/telemetry/storage')
      .set('X-Api-Key', 'pk_live_abc')
      .send({ customerId: 'c-1', usedBytes: 1 })
      .expect(201);
    expect(telemetry.headers['x-upstream']).toBe('reporting');
    expect(receivedBy.reporting).toHaveLength(1);
    expect(receivedBy.reporting[0].headers['x-api-key']).toBe('pk_live_abc');
    expect(receivedBy.reporting[0].headers.authorization).toBeUndefined();
    expect(JSON.parse(receivedBy.reporting[0].body.toString())).toEqual({ customerId: 'c-1', usedBytes: 1 });

    // Everything else of those services still needs a token.
    for (const path of ['/api/v1/service-catalog', '/api/v1/customers/c-1/dashboard', '/api/v1/billing-profiles', '/api/v1/api-keys']) {
      const res = await http.get(path).expect(401);
      expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
    }
    await http.get('/api/v1/email-verifications/tok-9:confirm').expect(401);
    expect(receivedBy.subscriptions).toHaveLength(0);
    expect(receivedBy.reporting).toHaveLength(1);
    expect(receivedBy.notifications).toHaveLength(1);
  });

  it('forwards a full telemetry batch, larger than the default body limit, byte for byte', async () => {
    clear();
    const records = Array.from({ length: 1000 }, (_, i) => ({ customerId: `c-${i}`, usedBytes: i, note: 'x'.repeat(200) }));
    const body = JSON.stringify({ batchId: 'b-1', records });
    expect(Buffer.byteLength(body)).toBeGreaterThan(100 * 1024);
    await http.post('/api/v1/telemetry/storage').set('X-Api-Key', 'pk_live_abc').set('Content-Type', 'application/json').send(body).expect(201);
    expect(receivedBy.reporting).toHaveLength(1);
    expect(receivedBy.reporting[0].body.toString()).toBe(body);
  });

  it('refuses paths with dot segments instead of forwarding them', async () => {
    clear();
    const res = await http.post('/api/v1/telemetry/%2e%2E/customers').set('X-Api-Key', 'k').send({}).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('GATEWAY.INVALID_PATH');
    expect([...received, ...receivedBy.reporting]).toHaveLength(0);
  });

  it('forwards method, path, query, headers and body, and returns the answer untouched', async () => {
    received.length = 0;
    const res = await http
      .get('/api/v1/customers?search=soci%C3%A9t%C3%A9&tag=a&tag=b')
      .set('Authorization', token)
      .set('X-Request-Id', 'req-proxy-1')
      .set('X-Correlation-Id', 'corr-proxy-1')
      .set('If-Match', 'W/"2"')
      .expect(207);
    expect(res.body).toEqual({ method: 'GET', url: '/api/v1/customers?search=soci%C3%A9t%C3%A9&tag=a&tag=b', length: 0 });
    expect(res.headers).toMatchObject({ etag: 'W/"3"', 'x-log-position': '4242', 'x-upstream': 'customers', 'x-request-id': 'req-proxy-1' });
    expect(received[0].headers).toMatchObject({
      authorization: token,
      'if-match': 'W/"2"',
      'x-request-id': 'req-proxy-1',
      'x-correlation-id': 'corr-proxy-1',
    });
    expect(received[0].headers['x-forwarded-for']).toBeDefined();
  });

  it('forwards JSON bodies byte for byte and handles Idempotency-Key at the edge', async () => {
    received.length = 0;
    const body = '{"organizationName":"Société Générale",  "tags":["a"]}';
    const post = () =>
      http.post('/api/v1/customers').set('Authorization', token).set('Idempotency-Key', 'proxy-key-1').set('Content-Type', 'application/json').send(body);
    const first = await post().expect(201);
    expect(first.headers.location).toBe('/api/v1/customers/c-1');
    expect(received).toHaveLength(1);
    expect(received[0].body.toString()).toBe(body);
    expect(received[0].headers['idempotency-key']).toBe('proxy-key-1');

    const replay = await post().expect(201);
    expect(replay.headers).toMatchObject({ 'idempotent-replayed': 'true', etag: 'W/"3"', 'x-log-position': '4242', location: '/api/v1/customers/c-1' });
    expect(replay.body).toEqual(first.body);
    expect(received).toHaveLength(1);
  });

  it('streams binary bodies through', async () => {
    received.length = 0;
    const logo = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    const res = await http.put('/api/v1/customers/c-1/logo').set('Authorization', token).set('Content-Type', 'image/png').send(logo).expect(207);
    expect(res.body.length).toBe(logo.length);
    expect(received[0].body.equals(logo)).toBe(true);
  });

  it('refuses requests without a valid token before they reach the service, except invitation acceptance', async () => {
    received.length = 0;
    const res = await http.get('/api/v1/customers').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
    await http.get('/api/v1/me/preferences').set('Authorization', 'Bearer forged.token.here').expect(401);
    expect(received).toHaveLength(0);

    await http.post('/api/v1/invitations/tok-123:accept').send({ registeredAccount: 'x' }).expect(201);
    expect(received.map((r) => r.url)).toEqual(['/api/v1/invitations/tok-123:accept']);
  });

  it('routes only the customers service prefixes', async () => {
    received.length = 0;
    await http.get('/api/v1/customersX').set('Authorization', token).expect(404);
    await http.get('/health/live').expect(200, { status: 'ok' });
    for (const path of ['/api/v1/setting-templates', '/api/v1/me/pinned-customers', '/api/v1/customers/c-1/history']) {
      await http.get(path).set('Authorization', token).expect(207);
    }
    expect(received).toHaveLength(3);
  });

  it('passes upstream errors through and releases the idempotency key on 5xx', async () => {
    received.length = 0;
    const broken = () => http.post('/api/v1/customers/broken').set('Authorization', token).set('Idempotency-Key', 'k-broken').send({});
    const res = await broken().expect(503);
    expect(res.text).toBe('{"code":"X"}');
    await broken().expect(503);
    expect(received).toHaveLength(2);
  });

  it("merges every service's own operations into /docs-json", async () => {
    const expected = ['/api/v1/customers', '/api/v1/customers/{id}/services', '/api/v1/customers/{id}/dashboard', '/api/v1/telemetry/{kind}', '/api/v1/billing-profiles'];
    let doc: { paths: Record<string, { [method: string]: { summary: string } }>; components: { schemas: Record<string, unknown> } } = {
      paths: {},
      components: { schemas: {} },
    };
    for (let i = 0; i < 50 && !expected.every((p) => doc.paths[p]); i++) {
      doc = (await http.get('/docs-json').expect(200)).body;
      if (!expected.every((p) => doc.paths[p])) await new Promise((r) => setTimeout(r, 100));
    }
    const { paths } = doc;
    expect(paths['/api/v1/customers']).toEqual({ get: { summary: 'List customers', responses: {} } });
    expect(paths['/api/v1/customers/{id}/services'].post.summary).toBe('Add a service');
    expect(paths['/api/v1/customers/{id}/dashboard'].get.summary).toBe('Dashboard');
    expect(paths['/api/v1/telemetry/{kind}'].post.summary).toBe('Telemetry');
    expect(paths['/api/v1/billing-profiles'].get.summary).toBe('Billing profiles');
    // A service's document does not bring paths another service owns.
    expect(paths['/api/v1/customers/{id}']).toBeUndefined();
    expect(paths['/api/v1/service-catalog']).toBeUndefined();
    // The gateway's own operations stay its own.
    expect(paths['/health/live'].get.summary).not.toBe('upstream health');
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['customersDto', 'subscriptionsDto', 'reportingDto', 'notificationsDto', 'ProblemDetails']),
    );
  });
});

describe('gateway with only some services configured', () => {
  let db: TestDatabase;
  let customers: Server;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const received: Received[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    customers = await startUpstream(received, 'customers');
    app = await startGateway(db, { customersUrl: urlOf(customers) });
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    await stopServer(customers);
    await db?.close();
  });

  it('answers 503 naming the missing variable for a service without a URL', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/service-catalog', 'SUBSCRIPTIONS_URL'],
      ['/api/v1/customers/c-1/services', 'SUBSCRIPTIONS_URL'],
      ['/api/v1/customers/c-1/dashboard', 'REPORTING_URL'],
      ['/api/v1/report-templates', 'REPORTING_URL'],
      ['/api/v1/customers/c-1/report-recipients', 'NOTIFICATIONS_URL'],
      ['/api/v1/billing-profiles', 'NOTIFICATIONS_URL'],
    ];
    for (const [path, variable] of cases) {
      const res = await http.get(path).set('Authorization', token).expect(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('GATEWAY.UPSTREAM_NOT_CONFIGURED');
      expect(res.body.detail).toContain(variable);
    }
    // Public routes of an unconfigured service too; a request without a token learns nothing.
    expect((await http.post('/api/v1/telemetry/storage').set('X-Api-Key', 'k').send({}).expect(503)).body.detail).toContain('REPORTING_URL');
    await http.get('/api/v1/billing-profiles').expect(401);
    expect(received).toHaveLength(0);

    await http.get('/api/v1/customers').set('Authorization', token).expect(207);
    expect(received).toHaveLength(1);
  });

  it('documents only the configured services', async () => {
    let paths: Record<string, unknown> = {};
    for (let i = 0; i < 50 && !paths['/api/v1/customers']; i++) {
      paths = (await http.get('/docs-json').expect(200)).body.paths;
      if (!paths['/api/v1/customers']) await new Promise((r) => setTimeout(r, 100));
    }
    expect(paths['/api/v1/customers']).toBeDefined();
    expect(paths['/api/v1/customers/{id}/services']).toBeUndefined();
  });
});

describe('upstream failures', () => {
  function gatewayFor(proxy: UpstreamProxy) {
    const app = express();
    app.use((req, res) => {
      proxy.forward(req, res).catch((e: { getStatus(): number; getResponse(): unknown }) => res.status(e.getStatus()).json(e.getResponse()));
    });
    return app;
  }

  it('answers 502 when the service is not reachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const url = urlOf(closed);
    await new Promise((r) => closed.close(r));
    const res = await request(gatewayFor(new UpstreamProxy({ baseUrl: url }))).get('/api/v1/customers').expect(502);
    expect(res.body.code).toBe('GATEWAY.UPSTREAM_UNAVAILABLE');
  });

  it('answers 504 when the service does not answer in time', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const proxy = new UpstreamProxy({ baseUrl: urlOf(silent), timeoutMs: 100 });
    try {
      const res = await request(gatewayFor(proxy)).get('/api/v1/customers').expect(504);
      expect(res.body.code).toBe('GATEWAY.UPSTREAM_TIMEOUT');
    } finally {
      proxy.close();
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
