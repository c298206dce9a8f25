import type { Kafka } from 'kafkajs';
import {
  createTestDatabase,
  eventually,
  requireFaultInjection,
  requireKafka,
  startKafkaTestBroker,
  testKafkaClient,
  TEST_CONSUMER_CONFIG,
  type KafkaTestBroker,
  type TestDatabase,
} from '@platform/testing';
import {
  consumerProbe,
  DeliveryWorld,
  kafkaTransport,
  ObservedPublisher,
  startTestConsumer,
  TEST_TOPIC,
  testRegistry,
  type TransportUnderTest,
} from '../testing/delivery-world';
import { KafkaMessagePublisher } from './kafka-message-publisher';

const run = requireKafka('Kafka relay');
const d = run ? describe : describe.skip;

/** Kafka error codes the mock cluster replays (Kafka protocol). */
const NOT_LEADER_OR_FOLLOWER = 6;
const REQUEST_TIMED_OUT = 7;
const PRODUCE_API_KEY = 0;

d('Kafka relay (librdkafka mock cluster, 3 brokers)', () => {
  let broker: KafkaTestBroker;
  let db: TestDatabase;
  let world: DeliveryWorld;
  let kafka: Kafka;
  let under: TransportUnderTest;
  const running: Array<{ stop(): Promise<void> }> = [];

  beforeEach(async () => {
    broker = await startKafkaTestBroker({ brokerCount: 3 });
    await broker.createTopic(TEST_TOPIC, 4, 3);
    db = await createTestDatabase();
    const pool = db.pool();
    world = await DeliveryWorld.create(pool, 4);
    kafka = testKafkaClient(broker.brokers);
    under = kafkaTransport(kafka, TEST_CONSUMER_CONFIG);
  });

  afterEach(async () => {
    await world.close();
    for (const c of running.splice(0).reverse()) await c.stop();
    await under.transport.close();
    await broker.stop();
    await db.close();
  });

  it('publishes CloudEvents binary-mode messages keyed by customer id, in order per customer', async () => {
    await world.appendSteps(1, 5);
    world.startRelay(under.transport.publisher);

    const raw = kafka.consumer({ groupId: `raw-reader-${world.partnerId}`, ...TEST_CONSUMER_CONFIG });
    running.push(raw);
    const seen: Array<{ partition: number; key: string; headers: Record<string, string>; value: unknown }> = [];
    await raw.connect();
    await raw.subscribe({ topic: TEST_TOPIC, fromBeginning: true });
    await raw.run({
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        if (headers.ce_partnerid !== world.partnerId) return; // an earlier test's message (real cluster)
        seen.push({ partition, key: message.key!.toString(), headers, value: JSON.parse(message.value!.toString()) });
      },
    });
    await eventually(() => new Set(seen.map((m) => m.headers.ce_id)).size >= 20, () => `${seen.length} messages`);

    const events = (await world.store.readAll({ filter: { categories: ['customer'] } })).events;
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const m of seen) {
      const e = byId.get(m.headers.ce_id)!;
      expect(e).toBeDefined();
      expect(m.key).toBe(e.metadata.customerId);
      expect(m.headers).toEqual({
        ce_specversion: '1.0',
        ce_id: e.id,
        ce_type: 'StepRecorded',
        ce_source: '/msp-platform/customers',
        ce_time: e.metadata.occurredAt,
        ce_subject: e.metadata.customerId,
        ce_dataschema: 'urn:msp-platform:integration-events:StepRecorded:v1',
        'content-type': 'application/json',
        ce_schemaversion: '1',
        ce_partnerid: world.partnerId,
        ce_correlationid: e.metadata.correlationId,
        ce_causationid: e.id,
        ce_actortype: 'user',
        ce_actorid: 'tester',
      });
      expect(m.value).toEqual(e.data);
    }
    // One partition per customer, and that customer's steps in order (first copies; the relay may repeat).
    for (const customerId of world.customers) {
      const mine = seen.filter((m) => m.key === customerId);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      const firstCopies = mine.filter((m, i) => mine.findIndex((x) => x.headers.ce_id === m.headers.ce_id) === i);
      expect(firstCopies.map((m) => (m.value as { step: number }).step)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('a partition leader goes down while the relay publishes and comes back: every event lands once, in order', async () => {
    if (!requireFaultInjection(broker, 'partition leader down')) return;
    const probe = consumerProbe();
    // Few producer retries, so a publish fails (and the runner retries it) while the leader is away.
    const publisher = new ObservedPublisher(
      new KafkaMessagePublisher(testKafkaClient(broker.brokers, { retry: { initialRetryTime: 50, maxRetryTime: 200, retries: 2 } }), {
        registry: testRegistry,
      }),
    );
    running.push({ stop: () => publisher.close() });
    await startTestConsumer(under, world.pool, { groupId: 'effects', handler: world.handler('effects'), probe });
    await world.appendSteps(1, 5);
    world.startRelay(publisher);
    await eventually(async () => (await world.effectCount('effects')) >= 20);

    // The broker leading the first customer's partition.
    const admin = kafka.admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: [TEST_TOPIC] });
    await admin.disconnect();
    const partitionOfFirst = await firstPartitionOf(world);
    const leader = topics[0].partitions.find((p) => p.partitionId === partitionOfFirst)!.leader;

    await broker.brokerDown(leader);
    await world.appendSteps(6, 15);
    await eventually(() => publisher.failures >= 1, () => `failures ${publisher.failures}`);
    await broker.brokerUp(leader);

    await eventually(
      async () => (await world.effectCount('effects')) >= 60,
      async () => JSON.stringify(await world.stepsPerCustomer('effects')),
    );
    expect(await world.stepsPerCustomer('effects')).toEqual(world.expectedSteps(15));
    expect(probe.outcomes.parked).toBe(0);
  });

  it('produce requests failing with NOT_LEADER / timeouts are retried: every event lands once, in order', async () => {
    if (!requireFaultInjection(broker, 'produce errors')) return;
    const probe = consumerProbe();
    await startTestConsumer(under, world.pool, { groupId: 'effects', handler: world.handler('effects'), probe });
    await world.appendSteps(1, 5);
    await broker.pushErrors(PRODUCE_API_KEY, [NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT]);
    world.startRelay(under.transport.publisher);
    await world.appendSteps(6, 10);

    await eventually(async () => (await world.effectCount('effects')) >= 40);
    expect(await world.stepsPerCustomer('effects')).toEqual(world.expectedSteps(10));
  });
});

/** Which partition the first customer's messages went to (read back from the inbox). */
async function firstPartitionOf(world: DeliveryWorld): Promise<number> {
  const { rows } = await world.pool.query<{ partition: number }>(
    `SELECT i.partition FROM inbox i JOIN effects e ON e.event_id = i.event_id WHERE e.customer_id = $1 LIMIT 1`,
    [world.customers[0]],
  );
  if (!rows[0]) throw new Error('the first customer has no effect yet');
  return rows[0].partition;
}
