import type { Pool } from 'pg';
import { toKafkaMessage } from '@platform/contracts';
import { uuidv7 } from '@platform/core';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { testRegistry, type StepRecorded } from '../testing/delivery-world';
import { InboxProcessor, type InboxHandler, type ReceivedMessage } from './inbox-processor';
import { migrateInbox } from './inbox-schema';

describe('InboxProcessor', () => {
  let db: TestDatabase;
  let pool: Pool;
  let offset = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateInbox(pool);
    await pool.query('CREATE TABLE effects (event_id uuid NOT NULL, step integer NOT NULL)');
  });
  afterAll(() => db.close());
  beforeEach(() => pool.query('TRUNCATE effects, inbox, inbox_parked'));

  const event = (step: number): StepRecorded => ({
    id: uuidv7(),
    type: 'StepRecorded',
    version: 1,
    source: '/msp-platform/customers',
    time: new Date().toISOString(),
    subject: uuidv7(),
    partnerId: uuidv7(),
    correlationId: uuidv7(),
    actor: { type: 'system', id: 'test' },
    data: { step },
  });
  const received = (e: StepRecorded): ReceivedMessage => {
    const m = toKafkaMessage(e, testRegistry);
    const position = String(offset++);
    return { topic: m.topic, partition: 0, offset: position, key: Buffer.from(m.key), value: Buffer.from(m.value), headers: m.headers };
  };
  const recording: InboxHandler<StepRecorded> = async (e, tx) => {
    await tx.query('INSERT INTO effects (event_id, step) VALUES ($1, $2)', [e.id, e.data.step]);
  };
  const processor = (handler: InboxHandler<StepRecorded>, maxAttempts = 3) =>
    new InboxProcessor<StepRecorded>({
      consumer: 'c',
      pool,
      handler,
      registry: testRegistry,
      maxAttempts,
      backoff: { initialMs: 1, maxMs: 5 },
      logger: { warn: () => undefined },
    });
  const effects = async () => (await pool.query('SELECT step FROM effects')).rows.map((r) => r.step as number);

  it('handles a message once; a redelivery of it is a duplicate that changes nothing', async () => {
    const e = event(1);
    const p = processor(recording);
    expect(await p.process(received(e))).toBe('handled');
    expect(await p.process(received(e))).toBe('duplicate');
    expect(await effects()).toEqual([1]);
  });

  it('rolls back a failed try, so a handler that succeeds on its third try leaves one effect', async () => {
    let calls = 0;
    const flaky: InboxHandler<StepRecorded> = async (e, tx, ctx) => {
      calls++;
      await recording(e, tx, ctx);
      if (ctx.attempt < 3) throw new Error('not yet');
    };
    expect(await processor(flaky, 3).process(received(event(2)))).toBe('handled');
    expect(calls).toBe(3);
    expect(await effects()).toEqual([2]);
    expect((await pool.query('SELECT count(*)::int AS n FROM inbox_parked')).rows[0].n).toBe(0);
  });

  it('parks an unreadable message at once, without calling the handler', async () => {
    let calls = 0;
    const counting: InboxHandler<StepRecorded> = async () => void calls++;
    const m = received(event(3));
    const broken: ReceivedMessage = { ...m, headers: { ...(m.headers as Record<string, string>), ce_specversion: '0.3' } };
    expect(await processor(counting).process(broken)).toBe('parked');
    const headers = m.headers as Record<string, string>;
    const unknown: ReceivedMessage = { ...m, offset: String(offset++), headers: { ...headers, ce_type: 'NoSuchEvent' } };
    expect(await processor(counting).process(unknown)).toBe('parked');
    expect(calls).toBe(0);
    const { rows } = await pool.query('SELECT attempts, error, event_id FROM inbox_parked ORDER BY "offset"::bigint');
    expect(rows.map((r) => [r.attempts, r.event_id])).toEqual([
      [0, null],
      [0, null],
    ]);
    expect(rows[0].error).toMatch(/specversion/);
    expect(rows[1].error).toMatch(/NoSuchEvent/);
  });

  it('rejects (does not park) when the database itself fails, so the transport delivers again', async () => {
    const other = await createTestDatabase(); // no inbox tables there
    try {
      const p = new InboxProcessor<StepRecorded>({
        consumer: 'c',
        pool: other.pool(),
        handler: recording,
        registry: testRegistry,
        logger: { warn: () => undefined },
      });
      await expect(p.process(received(event(4)))).rejects.toThrow(/inbox/);
    } finally {
      await other.close();
    }
  });
});
