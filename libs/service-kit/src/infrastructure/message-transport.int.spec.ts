import type { PoolClient } from 'pg';
import { Topics } from '@platform/contracts';
import { uuidv7 } from '@platform/core';
import { migrateInbox } from '@platform/messaging';
import { createTestDatabase, eventually, testIntegrationEvent, type TestDatabase } from '@platform/testing';
import { MetricsService } from '../metrics/metrics.service';
import { InProcessTransport } from './message-transport';

describe('InProcessTransport', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  // A relay publishes in its own transaction and reports the commit through the transport's
  // publisher; that report must reach the bus, or consumers wait for their poll (here an hour).
  it("passes the relay's commit on to the bus, which wakes the consumers at once", async () => {
    const transport = new InProcessTransport(db.connectionString, new MetricsService(), { pollIntervalMs: 3_600_000 });
    const pool = db.pool();
    await transport.migrate(pool);
    await migrateInbox(pool);
    const seen: string[] = [];
    const consumer = transport.consumer({ groupId: 'wake-test', topics: [Topics.customers], pool, handler: async (e) => void seen.push(e.id) });
    let tx: PoolClient | undefined;
    try {
      await consumer.start();
      await new Promise((r) => setTimeout(r, 100)); // idle: the first read found nothing
      const event = testIntegrationEvent({ type: 'CustomerDisconnected', subject: uuidv7(), partnerId: uuidv7(), data: {} });
      tx = await pool.connect();
      await tx.query('BEGIN');
      await transport.publisher.publish([event], tx);
      await tx.query('COMMIT');
      transport.publisher.committed!([event]);
      await eventually(() => seen.length === 1, () => `handled: ${seen.length}`, 20_000);
      expect(seen).toEqual([event.id]);
    } finally {
      tx?.release();
      await consumer.stop();
      await transport.close();
    }
  });
});
