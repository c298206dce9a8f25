import type { Pool } from 'pg';
import { createTestDatabase, eventually, type TestDatabase } from '@platform/testing';
import { consumerProbe, DeliveryWorld, TEST_TOPIC, testRegistry } from '../testing/delivery-world';
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
});
