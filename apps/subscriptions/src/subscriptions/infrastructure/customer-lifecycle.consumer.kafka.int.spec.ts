import type { Pool } from 'pg';
import { FakeClock, uuidv7 } from '@platform/core';
import { toKafkaMessage, Topics, type IntegrationEvent } from '@platform/contracts';
import { inTransaction, migrateEventStore, migrateProjections, PostgresEventStore, type EventMetadata } from '@platform/event-store';
import { KafkaInboxConsumer, migrateInbox, type InboxOutcome } from '@platform/messaging';
import {
  createTestDatabase,
  eventually,
  requireKafka,
  startKafkaTestBroker,
  testIntegrationEvent,
  testKafkaClient,
  TEST_CONSUMER_CONFIG,
  type KafkaTestBroker,
  type TestDatabase,
} from '@platform/testing';
import { CustomerServicesProjection, migrateCustomerServices } from '../projections/customer-services.projection';
import { CustomerServicesQueries } from '../queries/list-customer-services/customer-services.queries';
import { CUSTOMER_LIFECYCLE_GROUP, customerLifecycleHandler } from './customer-lifecycle.consumer';
import { SubscriptionCommandRunner } from './subscription-command-runner';

const PARTNER = '01936a2e-0000-7000-8000-000000000001';
const run = requireKafka('subscriptions customer-lifecycle consumer over Kafka');
const d = run ? describe : describe.skip;

d('customer lifecycle consumer over the Kafka protocol', () => {
  let broker: KafkaTestBroker;
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let runner: SubscriptionCommandRunner;
  let projected = 0n;
  const clock = new FakeClock(new Date('2026-03-01T10:00:00.000Z'));
  const projection = new CustomerServicesProjection();

  beforeAll(async () => {
    broker = await startKafkaTestBroker();
    await broker.createTopic(Topics.customers, 3);
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await migrateInbox(pool);
    await migrateCustomerServices(pool);
    store = new PostgresEventStore(pool);
    runner = new SubscriptionCommandRunner(store, clock);
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
    await broker?.stop();
  });

  async function provisioning(customerId: string): Promise<string> {
    const id = uuidv7();
    const meta: EventMetadata = { partnerId: PARTNER, customerId, occurredAt: clock.now().toISOString(), correlationId: uuidv7(), actor: { type: 'user', id: 'u1' } };
    await runner.run(
      id,
      { type: 'AddSubscription', data: { subscriptionId: id, serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 5, termEndsAt: '2027-01-01T00:00:00Z', pooled: true } },
      meta,
    );
    await runner.runProvisioning(id, { type: 'RequestProvisioning', data: { provisioningId: uuidv7() } }, meta);
    const { events, position } = await store.readAll({ after: projected, filter: { categories: ['subscription'] } });
    if (events.length > 0) await inTransaction(pool, (tx) => projection.handle(events, tx));
    projected = position;
    return id;
  }

  const event = (customerId: string, type: 'ManagementModeChanged' | 'CustomerDisconnected'): IntegrationEvent =>
    testIntegrationEvent({
      type,
      subject: customerId,
      partnerId: PARTNER,
      time: clock.now().toISOString(),
      data: type === 'ManagementModeChanged' ? { mode: 'customer', previousMode: 'partner' } : {},
    });

  const failures = async (id: string) => (await store.readStream(`subscription-${id}`)).filter((e) => e.type === 'ServiceProvisioningFailed');

  it('stops each customer’s provisioning once, with a duplicate message and a consumer restart', async () => {
    const c1 = uuidv7();
    const c2 = uuidv7();
    const s1 = await provisioning(c1);
    const s2 = await provisioning(c2);

    const kafka = testKafkaClient(broker.brokers);
    const producer = kafka.producer();
    await producer.connect();
    const modeChanged = event(c1, 'ManagementModeChanged');
    const messages = [event(c2, 'CustomerDisconnected'), modeChanged, modeChanged].map((e) => toKafkaMessage(e));
    await producer.send({ topic: Topics.customers, messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) });
    await producer.disconnect();

    const outcomes: InboxOutcome[] = [];
    const start = async () => {
      const consumer = new KafkaInboxConsumer(kafka, {
        groupId: CUSTOMER_LIFECYCLE_GROUP,
        topics: [Topics.customers],
        pool,
        handler: async () => undefined,
        beforeTransaction: customerLifecycleHandler(runner, new CustomerServicesQueries(pool)),
        consumer: TEST_CONSUMER_CONFIG,
        onOutcome: (o) => outcomes.push(o),
      });
      await consumer.start();
      return consumer;
    };
    const first = await start();
    await eventually(() => outcomes.length >= 3, () => `outcomes ${JSON.stringify(outcomes)}`);
    await first.stop();
    expect(outcomes.sort()).toEqual(['duplicate', 'handled', 'handled']);

    expect((await failures(s1)).map((e) => e.data.errorCode)).toEqual(['PROVISIONING.CUSTOMER_MANAGED']);
    expect((await failures(s2)).map((e) => e.data.errorCode)).toEqual(['PROVISIONING.CUSTOMER_DISCONNECTED']);

    // A restarted member of the group with its offsets committed: nothing is applied again.
    const second = await start();
    await second.stop();
    expect(await failures(s1)).toHaveLength(1);
    expect(await failures(s2)).toHaveLength(1);
  });
});
