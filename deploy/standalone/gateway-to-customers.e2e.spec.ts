import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { uuidv7 } from '@platform/core';
import { createServiceApp, loadConfig, MessageTransportModule, signJwt, type ServiceConfig } from '@platform/service-kit';
import { createTestDatabase, requireKafka, startKafkaTestBroker, type KafkaTestBroker, type TestDatabase } from '@platform/testing';
import { CustomersModule } from '../../apps/customers/src/customers.module';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';

const run = requireKafka('gateway in front of a separate customers service');
const d = run ? describe : describe.skip;

const SECRET = 'standalone-e2e-secret-of-at-least-32-chars';

/** The gateway and the customers service as two applications (as two processes would run them), over HTTP. */
d('gateway in front of a separate customers service', () => {
  let broker: KafkaTestBroker;
  let customersDb: TestDatabase;
  let gatewayDb: TestDatabase;
  let customers: INestApplication;
  let gateway: INestApplication;
  let http: ReturnType<typeof request>;
  const partnerId = uuidv7();
  const admin = `Bearer ${signJwt({ sub: uuidv7(), pid: partnerId, roles: ['admin-agent'] }, SECRET, 600)}`;

  beforeAll(async () => {
    broker = await startKafkaTestBroker();
    [customersDb, gatewayDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const env = { KAFKA_BROKERS: broker.brokers.join(','), LOG_LEVEL: 'silent', AUTH_JWT_SECRET: SECRET, HOST: '127.0.0.1' };

    const customersConfig = loadConfig({ ...env, DATABASE_URL: customersDb.connectionString }, { mode: 'standalone', service: 'customers' });
    customers = await createServiceApp({ config: customersConfig, modules: [CustomersModule], infrastructure: [MessageTransportModule], openApi: true });
    await customers.listen(0, '127.0.0.1');
    const customersUrl = `http://127.0.0.1:${(customers.getHttpServer().address() as { port: number }).port}`;

    const gatewayConfig: ServiceConfig = loadConfig(
      { ...env, DATABASE_URL: gatewayDb.connectionString, CUSTOMERS_URL: customersUrl },
      { mode: 'standalone', service: 'gateway' },
    );
    gateway = await createServiceApp({ config: gatewayConfig, modules: [GatewayModule], infrastructure: [MessageTransportModule], openApi: true });
    await gateway.init();
    http = request(gateway.getHttpServer());
  });

  afterAll(async () => {
    await gateway?.close();
    await customers?.close();
    await broker?.stop();
    await Promise.all([customersDb?.close(), gatewayDb?.close()]);
  });

  it('invites through the gateway, once per Idempotency-Key, and lists through it', async () => {
    const body = {
      organizationName: 'Proxied Ltd',
      primaryDomain: 'proxied.example',
      countryCode: 'FR',
      accountType: 'microsoft365-global-admin',
      contactEmail: 'it@proxied.example',
    };
    const invite = () =>
      http.post('/api/v1/customers').set('Authorization', admin).set('Idempotency-Key', 'invite-1').set('X-Correlation-Id', 'corr-proxied').send(body);
    const first = await invite().expect(201);
    expect(first.headers.location).toBe(`/api/v1/customers/${first.body.id}`);
    expect(first.headers['x-correlation-id']).toBe('corr-proxied');
    const again = await invite().expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);

    const position = first.headers['x-log-position'];
    const list = await http.get('/api/v1/customers').set('Authorization', admin).set('X-Min-Position', position ?? '').expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([first.body.id]);
  });

  it('refuses a request without a token at the gateway', async () => {
    const res = await http.get('/api/v1/customers').expect(401);
    expect(res.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it("shows the customers service's operations in the gateway's /docs", async () => {
    let paths: Record<string, unknown> = {};
    for (let i = 0; i < 50 && !paths['/api/v1/customers']; i++) {
      paths = (await http.get('/docs-json').expect(200)).body.paths;
      if (!paths['/api/v1/customers']) await new Promise((r) => setTimeout(r, 100));
    }
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/v1/customers', '/api/v1/customers/{id}', '/health/live']));
  });
});
