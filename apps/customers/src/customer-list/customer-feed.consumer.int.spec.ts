import type { Pool } from 'pg';
import { servicesAddedV1, toKafkaMessage, customerInvitedV1, type IntegrationEvent } from '@platform/contracts';
import { uuidv7 } from '@platform/core';
import { migrateEventStore, migrateProjections, PostgresEventStore } from '@platform/event-store';
import { InboxProcessor, migrateInbox, type ReceivedMessage } from '@platform/messaging';
import type { ServiceConsumers } from '@platform/service-kit';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomerFeedConsumer } from './customer-feed.consumer';
import { customerFeedStreamId } from './customer-feed.stream';

describe('CustomerFeedConsumer (other services’ events into the customers log)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let processor: InboxProcessor;
  let offset = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await migrateInbox(pool);
    store = new PostgresEventStore(pool);
    const feed = new CustomerFeedConsumer(store, { add: () => undefined } as unknown as ServiceConsumers);
    processor = new InboxProcessor({ consumer: 'customers.customer-feed', pool, handler: (e, tx, c) => feed.handle(e, tx, c), maxAttempts: 1 });
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  const envelope = <T extends IntegrationEvent>(type: T['type'], data: T['data'], customerId: string): T =>
    ({
      id: uuidv7(),
      type,
      version: 1,
      source: '/msp-platform/subscriptions',
      time: new Date().toISOString(),
      subject: customerId,
      partnerId: uuidv7(),
      correlationId: 'corr-feed',
      actor: { type: 'user', id: 'user-1' },
      data,
    }) as T;
  const received = (e: IntegrationEvent): ReceivedMessage => {
    const m = toKafkaMessage(e);
    return { topic: m.topic, partition: 0, offset: String(offset++), key: Buffer.from(m.key), value: Buffer.from(m.value), headers: m.headers };
  };

  it('copies a list-relevant event once into the customer’s feed stream, however often it is delivered', async () => {
    const customerId = uuidv7();
    const added = envelope('ServicesAdded', servicesAddedV1.example, customerId);
    const message = received(added);
    expect(await processor.process(message)).toBe('handled');
    expect(await processor.process({ ...message, offset: String(offset++) })).toBe('duplicate');

    const [copy, ...more] = await store.readStream(customerFeedStreamId(customerId));
    expect(more).toEqual([]);
    expect(copy).toMatchObject({
      type: 'ServicesAdded',
      data: servicesAddedV1.example,
      metadata: { customerId, partnerId: added.partnerId, correlationId: 'corr-feed', causationId: added.id, actor: added.actor, source: added.source },
    });
    // Not the producer's id: in embedded mode both services' events share one table.
    expect(copy.id).not.toBe(added.id);
  });

  it('ignores events the list does not show', async () => {
    const customerId = uuidv7();
    expect(await processor.process(received(envelope('CustomerInvited', customerInvitedV1.example, customerId)))).toBe('handled');
    expect(await store.readStream(customerFeedStreamId(customerId))).toEqual([]);
  });

  it('wakes this process’s readers once the inbox transaction has committed', async () => {
    const customerId = uuidv7();
    const head = await store.headPosition();
    const woken = store.waitForAppend(head, 30_000);
    expect(await processor.process(received(envelope('ServicesAdded', servicesAddedV1.example, customerId)))).toBe('handled');
    await woken;
    expect(await store.headPosition()).toBeGreaterThan(head);
  });
});
