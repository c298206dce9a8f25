import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import express from 'express';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { createServiceApp, loadConfig, MessageTransportModule, signJwt, type ServiceConfig } from '@platform/service-kit';
import { GatewayModule } from '../gateway.module';
import { UpstreamProxy } from './upstream-proxy';

const SECRET = 'gateway-proxy-test-secret-of-32-characters';
const token = `Bearer ${signJwt({ sub: 'user-1', pid: 'partner-1', roles: ['admin-agent'] }, SECRET, 600)}`;

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A stand-in customers service: records what reaches it and answers as told by the path. */
function startUpstream(received: Received[]): Promise<Server> {
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
            paths: {
              '/api/v1/customers': { get: { summary: 'List customers', responses: {} } },
              '/health/live': { get: { summary: 'upstream health', responses: {} } },
            },
            components: { schemas: { CustomerDto: { type: 'object' } } },
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
        'X-Upstream': 'customers',
      });
      res.end(JSON.stringify({ method: req.method, url: req.url, length: body.length }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe('gateway proxying to a separate customers service', () => {
  let db: TestDatabase;
  let upstream: Server;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const received: Received[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    upstream = await startUpstream(received);
    const config: ServiceConfig = {
      ...loadConfig({ LOG_LEVEL: 'silent', AUTH_JWT_SECRET: SECRET, RATE_LIMIT_PER_MINUTE: '6000', RATE_LIMIT_BURST: '1000' }, { mode: 'embedded' }),
      mode: 'standalone',
      services: ['gateway'],
      databaseUrl: db.connectionString,
      customersUrl: urlOf(upstream),
    };
    app = await createServiceApp({ config, modules: [GatewayModule], infrastructure: [MessageTransportModule], openApi: true });
    await app.init();
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    upstream?.closeAllConnections();
    await new Promise((r) => upstream?.close(r));
    await db?.close();
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

  it("merges the service's operations into /docs-json", async () => {
    let paths: Record<string, unknown> = {};
    for (let i = 0; i < 50 && !paths['/api/v1/customers']; i++) {
      paths = (await http.get('/docs-json').expect(200)).body.paths;
      if (!paths['/api/v1/customers']) await new Promise((r) => setTimeout(r, 100));
    }
    expect(paths['/api/v1/customers']).toEqual({ get: { summary: 'List customers', responses: {} } });
    // The gateway's own operations stay its own.
    expect((paths['/health/live'] as { get: { summary: string } }).get.summary).not.toBe('upstream health');
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
