import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { uuidv7 } from '@platform/core';
import type { EventStore } from '@platform/event-store';
import {
  createServiceApp,
  EVENT_STORE,
  loadConfig,
  MessageTransportModule,
} from '@platform/service-kit';
import {
  createTestDatabase,
  eventually,
  requireKafka,
  startKafkaTestBroker,
  testKafkaClient,
  TEST_CONSUMER_CONFIG,
  type KafkaTestBroker,
  type TestDatabase,
} from '@platform/testing';
import { CustomersModule } from './customers.module';

const run = requireKafka('customers service alone');
const d = run ? describe : describe.skip;

d('customers service run alone (PostgreSQL + Kafka)', () => {
  let broker: KafkaTestBroker;
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    broker = await startKafkaTestBroker();
    await broker.createTopic('customers.events.v1', 3);
    db = await createTestDatabase();
    const config = loadConfig(
      { DATABASE_URL: db.connectionString, KAFKA_BROKERS: broker.brokers.join(','), LOG_LEVEL: 'silent', AUTH_JWT_SECRET: 'customers-int-test-secret-of-32-chars!' },
      { mode: 'standalone', service: 'customers' },
    );
    app = await createServiceApp({ config, modules: [CustomersModule], infrastructure: [MessageTransportModule] });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await broker?.stop();
    await db?.close();
  });

  it('is ready once its database, migrations, event store, relay and Kafka are', async () => {
    let body: { status: string; details: Record<string, { status: string }> } | undefined;
    await eventually(
      async () => {
        const res = await request(app.getHttpServer()).get('/health/ready');
        body = res.body;
        return res.status === 200;
      },
      () => JSON.stringify(body),
    );
    expect(Object.keys(body!.details).sort()).toEqual([
      'customers.database',
      'customers.event-store',
      'customers.migrations',
      'customers.projections',
      'messaging',
    ]);
    expect(body!.details.messaging).toMatchObject({ status: 'up', transport: 'kafka' });
  });

  it('relays its customer events to customers.events.v1 as CloudEvents keyed by customer id', async () => {
    const customerId = uuidv7();
    const eventId = uuidv7();
    const store = app.get<EventStore>(EVENT_STORE, { strict: false });
    await store.append(
      `customer-${customerId}`,
      [
        {
          id: eventId,
          type: 'CustomerTagsChanged',
          schemaVersion: 1,
          data: { tags: ['gold'] },
          metadata: {
            partnerId: uuidv7(),
            customerId,
            occurredAt: new Date().toISOString(),
            correlationId: 'corr-standalone',
            actor: { type: 'user', id: uuidv7() },
          },
        },
      ],
      { expectedVersion: 'no_stream' },
    );

    const kafka = testKafkaClient(broker.brokers);
    const consumer = kafka.consumer({ groupId: `probe-${uuidv7()}`, ...TEST_CONSUMER_CONFIG });
    const seen: Array<{ key: string; headers: Record<string, string>; value: unknown }> = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: 'customers.events.v1', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
          seen.push({ key: message.key!.toString(), headers, value: JSON.parse(message.value!.toString()) });
        },
      });
      await eventually(() => seen.some((m) => m.headers.ce_id === eventId), () => `${seen.length} messages`);
    } finally {
      await consumer.disconnect();
    }
    const message = seen.find((m) => m.headers.ce_id === eventId)!;
    expect(message.key).toBe(customerId);
    expect(message.value).toEqual({ tags: ['gold'] });
    expect(message.headers).toMatchObject({
      ce_type: 'CustomerTagsChanged',
      ce_subject: customerId,
      ce_correlationid: 'corr-standalone',
    });

    const metrics = await request(app.getHttpServer()).get('/metrics');
    expect(metrics.text).toContain('integration_events_published_total{type="CustomerTagsChanged"} 1');
  });
});
