import type { Pool } from 'pg';
import { createTestDatabase, eventually, type TestDatabase } from '@platform/testing';
import { Topics } from '@platform/contracts';
import { uuidv7 } from '@platform/core';
import { consumerProbe, DeliveryWorld, TEST_TOPIC, testEnvelope, testRegistry } from '../testing/delivery-world';
import { InProcessBus, migrateInProcessBus } from './in-process-bus';

describe('InProcessBus', () => {
  let db: TestDatabase;
  let pool: Pool;
  let world: DeliveryWorld;
  let bus: InProcessBus;

  beforeEach(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    world = await DeliveryWorld.create(pool, 4);
    await migrateInProcessBus(pool);
    bus = new InProcessBus(pool, { pollIntervalMs: 20, readBatchSize: 7, registry: testRegistry });
  });
  afterEach(async () => {
    await bus.close();
    await world.close();
    await db.close();
  });

  /** As a relay does: publish in its own transaction, then say it committed. */
  async function publishAsRelay(target: InProcessBus, events: ReturnType<typeof testEnvelope>[]): Promise<void> {
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await target.publisher.publish(events, tx);
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    target.publisher.committed!(events);
  }

  it('commits the topic log with the relay checkpoint: a rolled-back relay transaction published nothing', async () => {
    await world.appendSteps(1, 1);
    const { events } = await world.store.readAll({ filter: { categories: ['customer'] } });
    const tx = await pool.connect();
    await tx.query('BEGIN');
    await world.relay(bus.publisher).handle(events, tx);
    await tx.query('ROLLBACK');
    tx.release();
    expect((await pool.query('SELECT count(*)::int AS n FROM inprocess_messages')).rows[0].n).toBe(0);

    await bus.publish(events.map((e) => DeliveryWorld.map(e)!));
    const { rows } = await pool.query(`SELECT "offset"::int AS o FROM inprocess_messages WHERE topic = $1 ORDER BY 1`, [TEST_TOPIC]);
    expect(rows.map((r) => r.o)).toEqual([0, 1, 2, 3]);
  });

  it('two members of one group share the topic: each message handled once, in order per customer', async () => {
    await world.appendSteps(1, 15);
    const probes = [consumerProbe(), consumerProbe()];
    const members = probes.map((probe) =>
      bus.consumer({ groupId: 'effects', topics: [TEST_TOPIC], pool, handler: world.handler('effects'), onOutcome: probe.onOutcome }),
    );
    for (const m of members) await m.start();
    world.startRelay(bus.publisher);
    try {
      await eventually(async () => (await world.effectCount('effects')) >= 60);
      expect(await world.stepsPerCustomer('effects')).toEqual(world.expectedSteps(15));
      expect(probes[0].outcomes.handled + probes[1].outcomes.handled).toBe(60);
    } finally {
      for (const m of members) await m.stop();
    }
    const { rows } = await pool.query(
      'SELECT next_offset::int AS n FROM inprocess_consumer_offsets WHERE consumer_group = $1',
      ['effects'],
    );
    expect(rows).toEqual([{ n: 60 }]);
  });

  it('acknowledges types outside eventTypes without a transaction or inbox row, and still moves the offset past them', async () => {
    const customer = uuidv7();
    const types = ['StepRecorded', 'NoteRecorded', 'StepRecorded', 'StepRecorded', 'NoteRecorded', 'StepRecorded'] as const;
    await bus.publish(types.map((t, i) => testEnvelope(t, customer, i + 1)));
    const seen: string[] = [];
    const probe = consumerProbe();
    const consumer = bus.consumer({
      groupId: 'notes',
      topics: [TEST_TOPIC],
      pool,
      eventTypes: ['NoteRecorded'],
      handler: async (e) => void seen.push((e.data as unknown as { note: string }).note),
      onOutcome: probe.onOutcome,
    });
    await consumer.start();
    try {
      // The trailing ignored message is saved when the consumer goes idle.
      await eventually(async () => (await pool.query(`SELECT next_offset::int AS n FROM inprocess_consumer_offsets WHERE consumer_group = 'notes'`)).rows[0].n === 6);
      await bus.publish([testEnvelope('StepRecorded', customer, 7), testEnvelope('NoteRecorded', customer, 8)]);
      await eventually(() => seen.length === 3);
    } finally {
      await consumer.stop();
    }
    expect(seen).toEqual(['note 2', 'note 5', 'note 8']);
    expect(probe.outcomes).toMatchObject({ handled: 3, ignored: 5, duplicate: 0, parked: 0 });
    const inbox = await pool.query(`SELECT event_type FROM inbox WHERE consumer = 'notes'`);
    expect(inbox.rows.map((r) => r.event_type)).toEqual(['NoteRecorded', 'NoteRecorded', 'NoteRecorded']);
    const offsets = await pool.query(`SELECT next_offset::int AS n FROM inprocess_consumer_offsets WHERE consumer_group = 'notes'`);
    expect(offsets.rows).toEqual([{ n: 8 }]);
  });

  it('runs the effects of a backlog in order before its transactions, and not again on redelivery', async () => {
    const customer = uuidv7();
    const events = Array.from({ length: 30 }, (_, i) => testEnvelope('NoteRecorded', customer, i + 1));
    await bus.publish(events);
    const effects: string[] = [];
    let failOnce = true;
    const make = () =>
      bus.consumer({
        groupId: 'effects-chunk',
        topics: [TEST_TOPIC],
        pool,
        beforeTransaction: async (e) => {
          // One failure in the middle: that chunk goes one message at a time, the effect is retried.
          if (e.id === events[12].id && failOnce) {
            failOnce = false;
            throw new Error('effect failed once');
          }
          effects.push(e.id);
        },
        handler: async () => undefined,
      });
    const consumer = make();
    await consumer.start();
    await eventually(async () => (await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'effects-chunk'`)).rows[0].n === 30);
    await consumer.stop();
    // Effects are idempotent and may repeat within a failed chunk, but every one ran, in order of first run.
    expect([...new Set(effects)]).toEqual(events.map((e) => e.id));
    const before = effects.length;
    await bus.resetOffsets('effects-chunk', TEST_TOPIC, 0n);
    const again = make();
    await again.start();
    await eventually(async () => (await pool.query(`SELECT next_offset::int AS n FROM inprocess_consumer_offsets WHERE consumer_group = 'effects-chunk'`)).rows[0].n === 30);
    await again.stop();
    expect(effects.length).toBe(before); // redelivered, found in the inbox: no effect ran again
  });

  it("wakes the consumers of the committed events' topics without waiting for their poll", async () => {
    const sleepy = new InProcessBus(pool, { pollIntervalMs: 3_600_000, registry: testRegistry });
    const handled: string[] = [];
    const consumers = [TEST_TOPIC, Topics.reporting].map((topic) =>
      sleepy.consumer({ groupId: `wake-${topic}`, topics: [topic], pool, handler: async () => void handled.push(topic) }),
    );
    try {
      for (const c of consumers) await c.start();
      await new Promise((r) => setTimeout(r, 100)); // both idle, for an hour
      await publishAsRelay(sleepy, [testEnvelope('StepRecorded', uuidv7(), 1)]);
      await eventually(() => handled.length === 1);
      expect(handled).toEqual([TEST_TOPIC]);
    } finally {
      await sleepy.close();
    }
  });

  it('hands a consumer that keeps up the messages this bus published without reading them back, ignored ones stepped over', async () => {
    const sleepy = new InProcessBus(pool, { pollIntervalMs: 3_600_000, registry: testRegistry });
    const consumerPool = db.pool({ max: 2 });
    const customer = uuidv7();
    const seen: string[] = [];
    const probe = consumerProbe();
    const consumer = sleepy.consumer({
      groupId: `tail-${customer}`,
      topics: [TEST_TOPIC],
      pool: consumerPool,
      eventTypes: ['NoteRecorded'],
      handler: async (e) => void seen.push((e.data as unknown as { note: string }).note),
      onOutcome: probe.onOutcome,
    });
    try {
      await consumer.start();
      await new Promise((r) => setTimeout(r, 100)); // caught up (one read), idle for an hour
      const reads = jest.spyOn(consumerPool, 'query');
      for (let i = 1; i <= 3; i++) {
        await publishAsRelay(sleepy, [testEnvelope('StepRecorded', customer, 2 * i - 1), testEnvelope('NoteRecorded', customer, 2 * i)]);
        await eventually(() => seen.length === i);
      }
      const readBack = reads.mock.calls.filter(([q]) => String(typeof q === 'string' ? q : (q as { text: string }).text).includes('inprocess_messages'));
      expect(readBack).toEqual([]);
      reads.mockRestore();
      expect(seen).toEqual(['note 2', 'note 4', 'note 6']);
      expect(probe.outcomes).toMatchObject({ handled: 3, ignored: 3 });
    } finally {
      await sleepy.close();
    }
    // Stopping saved the position over the trailing messages.
    const { rows } = await pool.query(`SELECT next_offset::int AS n FROM inprocess_consumer_offsets WHERE consumer_group = $1`, [`tail-${customer}`]);
    expect(rows).toEqual([{ n: 6 }]);
  });
});
