import { Partitioners } from 'kafkajs';
import { requireFaultInjection, requireKafka, startKafkaTestBroker, type KafkaTestBroker } from './kafka-test-broker';
import { TEST_CONSUMER_CONFIG, eventually, testKafkaClient } from './kafka-test-helpers';

const run = requireKafka('kafka-test-broker');
const d = run ? describe : describe.skip;

d('Kafka test broker (kafkajs 2.2.4 against it)', () => {
  let broker: KafkaTestBroker;
  beforeAll(async () => {
    broker = await startKafkaTestBroker({ brokerCount: 3 });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('produces, consumes in a group in key order, and commits offsets', async () => {
    const topic = `probe-${Date.now()}`;
    await broker.createTopic(topic, 3, 3);
    const kafka = testKafkaClient(broker.brokers);
    const producer = kafka.producer({ maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const keys = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < 20; i++) {
      await producer.send({ topic, acks: -1, messages: [{ key: keys[i % 4], value: String(i), headers: { n: String(i) } }] });
    }
    await producer.disconnect();

    const seen: Record<string, number[]> = {};
    const consume = async (count: () => number, until: number) => {
      const consumer = kafka.consumer({ groupId: 'g', ...TEST_CONSUMER_CONFIG });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const k = message.key!.toString();
          (seen[k] ??= []).push(Number(message.value!.toString()));
          expect(message.headers?.n?.toString()).toBe(message.value!.toString());
          await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
        },
      });
      await eventually(() => count() >= until, () => `consumed ${count()} of ${until}`);
      await consumer.disconnect();
    };
    const total = () => Object.values(seen).reduce((n, l) => n + l.length, 0);
    await consume(total, 20);
    for (const [k, list] of Object.entries(seen)) {
      expect(list).toEqual([...list].sort((a, b) => a - b));
      expect(list).toHaveLength(5);
      expect(list.every((v) => keys[v % 4] === k)).toBe(true);
    }

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: 'g', topics: [topic] });
    const committed = offsets[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(20);
    await admin.disconnect();
  });

  it('answers fault-injection commands and rejects malformed ones', async () => {
    if (!requireFaultInjection(broker, 'fault injection commands')) return;
    await broker.brokerDown(2);
    await broker.brokerUp(2);
    await broker.createTopic('moved', 2, 3);
    await broker.setPartitionLeader('moved', 1, 3);
    const admin = testKafkaClient(broker.brokers).admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({ topics: ['moved'] });
    await admin.disconnect();
    expect(topics[0].partitions.find((p) => p.partitionId === 1)?.leader).toBe(3);
    await broker.pushErrors(0, [6, 6]);
    await broker.pushErrors(0, []).then(
      () => Promise.reject(new Error('expected a rejection')),
      (e: Error) => expect(e.message).toMatch(/ERR/),
    );
    // Consume the pushed errors so they cannot leak into another test: a producer retries past them.
    const kafka = testKafkaClient(broker.brokers);
    const producer = kafka.producer({ maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await broker.createTopic('faults', 1, 3);
    await producer.send({ topic: 'faults', acks: -1, messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
  });
});
