import type { Pool } from 'pg';
import {
  createTestDatabase,
  eventually,
  requireKafka,
  startKafkaTestBroker,
  testKafkaClient,
  TEST_CONSUMER_CONFIG,
  type TestDatabase,
} from '@platform/testing';
import {
  consumerProbe,
  CrashAfterAckPublisher,
  DeliveryWorld,
  inProcessTransport,
  kafkaTransport,
  startTestConsumer,
  TEST_TOPIC,
  type TestConsumerOptions,
  type TransportUnderTest,
} from './testing/delivery-world';

/**
 * The delivery guarantees every transport must give, run against each: Kafka (librdkafka's
 * mock cluster, or KAFKA_BROKERS) and the in-process bus of embedded mode.
 */
interface TransportSetup {
  name: string;
  make(pool: Pool): Promise<{ transport: TransportUnderTest; dispose(): Promise<void> }>;
}

const transports: TransportSetup[] = [
  {
    name: 'in-process bus',
    async make(pool) {
      return { transport: await inProcessTransport(pool), dispose: async () => undefined };
    },
  },
];
if (requireKafka('messaging delivery semantics over Kafka')) {
  transports.push({
    name: 'Kafka',
    async make() {
      const broker = await startKafkaTestBroker({ brokerCount: 3 });
      await broker.createTopic(TEST_TOPIC, 4, 3);
      return {
        transport: kafkaTransport(testKafkaClient(broker.brokers), TEST_CONSUMER_CONFIG),
        dispose: () => broker.stop(),
      };
    },
  });
}

describe.each(transports)('delivery semantics over the $name', ({ make }) => {
  let db: TestDatabase;
  let world: DeliveryWorld;
  let under: TransportUnderTest;
  let dispose: () => Promise<void>;

  const startConsumer = (options: TestConsumerOptions) => startTestConsumer(under, world.pool, options);
  const publisher = () => under.transport.publisher;
  const describeState = (consumer: string) => async () =>
    `effects: ${JSON.stringify(await world.stepsPerCustomer(consumer))}`;

  beforeEach(async () => {
    db = await createTestDatabase();
    const pool = db.pool();
    world = await DeliveryWorld.create(pool);
    ({ transport: under, dispose } = await make(pool));
  });

  afterEach(async () => {
    await world.close(); // stops the relays
    await under.transport.close(); // and the consumers
    await dispose();
    await db.close();
  });

  it('the relay publishes every event (catch-up, then live); each lands once, in order per customer', async () => {
    const probe = consumerProbe();
    await world.appendSteps(1, 10);
    await startConsumer({ groupId: 'effects', handler: world.handler('effects'), probe });
    world.startRelay(publisher());
    await world.appendSteps(11, 20);

    await eventually(async () => (await world.effectCount('effects')) >= 100, describeState('effects'));
    expect(await world.stepsPerCustomer('effects')).toEqual(world.expectedSteps(20));
    expect(probe.outcomes.parked).toBe(0);
  });

  it('relay crash between broker ack and checkpoint, then restart from the checkpoint: nothing lost or doubled', async () => {
    const probe = consumerProbe();
    await world.appendSteps(1, 10);
    await startConsumer({ groupId: 'effects', handler: world.handler('effects'), probe });

    const crashing = new CrashAfterAckPublisher(publisher(), 2);
    const first = world.startRelay(crashing);
    await eventually(async () => crashing.crashed && (await world.effectCount('effects')) >= 20, describeState('effects'));
    await first.stop(); // the process goes away mid-stream
    await world.appendSteps(11, 20);
    const second = world.startRelay(publisher());

    await eventually(async () => (await world.effectCount('effects')) >= 100, describeState('effects'));
    expect(await world.stepsPerCustomer('effects')).toEqual(world.expectedSteps(20));
    expect(second.status().position).toBeGreaterThan(0n);
    // Kafka got the crashed batch twice and the inbox absorbed the copies; the in-process bus
    // wrote it in the rolled-back transaction, so there was nothing to absorb.
    await eventually(() => probe.outcomes.handled + probe.outcomes.duplicate >= 100);
    if (under.republishesAfterRelayCrash) expect(probe.outcomes.duplicate).toBeGreaterThan(0);
    else expect(probe.outcomes.duplicate).toBe(0);
  });

  it('redelivery to the group (offsets reset, a new member after the old one stopped) changes nothing', async () => {
    await world.appendSteps(1, 10);
    const before = consumerProbe();
    const first = await startConsumer({ groupId: 'effects', handler: world.handler('effects'), probe: before });
    world.startRelay(publisher());
    await eventually(async () => (await world.effectCount('effects')) >= 50, describeState('effects'));
    await first.stop();

    await under.resetOffsets('effects');
    const after = consumerProbe();
    await startConsumer({ groupId: 'effects', handler: world.handler('effects'), probe: after });
    await eventually(
      () => after.outcomes.duplicate >= 50,
      () => `redelivered ${JSON.stringify(after.outcomes)}`,
    );

    expect(after.outcomes.handled).toBe(0);
    expect(await world.effectCount('effects')).toBe(50);
    expect(await world.stepsPerCustomer('effects')).toEqual(world.expectedSteps(10));
  });

  it('a message whose handler keeps failing is parked after its tries; the others proceed in order', async () => {
    const victim = world.customers[1];
    const isPoison = (customerId: string, step: number) => customerId === victim && step === 3;
    const probe = consumerProbe();
    await world.appendSteps(1, 10);
    await startConsumer({
      groupId: 'effects',
      handler: world.handler('effects', (e) => isPoison(e.subject, e.data.step)),
      probe,
      maxAttempts: 3,
    });
    world.startRelay(publisher());

    await eventually(async () => (await world.effectCount('effects')) >= 49, describeState('effects'));
    await eventually(async () => (await world.parked()).length === 1);
    expect(await world.stepsPerCustomer('effects')).toEqual(world.expectedSteps(10, isPoison));
    const [parked] = await world.parked();
    expect(parked.attempts).toBe(3);
    expect(parked.error).toMatch(/poison step 3/);
    expect(probe.outcomes.parked).toBe(1);
  });
});
