import type { ConsumerConfig, Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { uuidv7 } from '@platform/core';
import { defineContract, IntegrationEventRegistry, Topics, type IntegrationEventEnvelope } from '@platform/contracts';
import {
  migrateEventStore,
  migrateProjections,
  PostgresEventStore,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type RecordedEvent,
} from '@platform/event-store';
import { InProcessBus, migrateInProcessBus } from '../in-process/in-process-bus';
import type { InboxHandler, InboxOutcome, ReceivedMessage } from '../inbox/inbox-processor';
import { migrateInbox } from '../inbox/inbox-schema';
import { KafkaTransport } from '../kafka/kafka-transport';
import type { InboxConsumer, MessageTransport } from '../message-transport';
import type { MessagePublisher } from '../message-publisher.port';
import { IntegrationEventRelay, RELAY_RUNNER_OPTIONS } from '../relay/integration-event-relay';

/**
 * Test support shared by the delivery-semantics suites of every transport: an event log of
 * customers each recording numbered steps, a relay publishing them, and consumers whose effects
 * land in a table, so a suite can check "every event, once, in order per customer".
 */

export interface StepRecordedV1 {
  step: number;
}

/** A contract only the tests know, on the customers topic. */
export const stepRecordedV1 = defineContract<'StepRecorded', 1, StepRecordedV1>({
  type: 'StepRecorded',
  version: 1,
  producer: 'customers',
  description: 'Test event: a customer recorded step n.',
  personalData: { carries: false },
  schema: {
    type: 'object',
    properties: { step: { type: 'integer', minimum: 1 } },
    required: ['step'],
    additionalProperties: false,
  },
  example: { step: 1 },
});
export type StepRecorded = IntegrationEventEnvelope<'StepRecorded', 1, StepRecordedV1>;

/** A second test contract on the same topic, for consumers that react to some types only. */
export const noteRecordedV1 = defineContract<'NoteRecorded', 1, { note: string }>({
  type: 'NoteRecorded',
  version: 1,
  producer: 'customers',
  description: 'Test event: a customer recorded a note.',
  personalData: { carries: false },
  schema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'], additionalProperties: false },
  example: { note: 'n' },
});
export const testRegistry = new IntegrationEventRegistry([stepRecordedV1, noteRecordedV1]);

/** A test envelope of `type` for `customerId` (a fresh id each call). */
export function testEnvelope(type: 'StepRecorded' | 'NoteRecorded', customerId: string, n: number): IntegrationEventEnvelope {
  return {
    id: uuidv7(),
    type,
    version: 1,
    source: '/msp-platform/customers',
    time: new Date(0).toISOString(),
    subject: customerId,
    partnerId: '0192e5f0-0000-7000-8000-000000000001',
    correlationId: uuidv7(),
    actor: { type: 'system', id: 'test' },
    data: type === 'StepRecorded' ? { step: n } : { note: `note ${n}` },
  } as IntegrationEventEnvelope;
}
export const TEST_TOPIC = Topics.customers;

export interface Effect {
  consumer: string;
  customerId: string;
  step: number;
  eventId: string;
}

export interface ConsumerProbe {
  outcomes: Record<InboxOutcome, number>;
  onOutcome(outcome: InboxOutcome, message: ReceivedMessage): void;
}

export function consumerProbe(): ConsumerProbe {
  const outcomes: Record<InboxOutcome, number> = { handled: 0, duplicate: 0, parked: 0, skipped: 0, ignored: 0 };
  return { outcomes, onOutcome: (o) => outcomes[o]++ };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class DeliveryWorld {
  readonly store: PostgresEventStore;
  readonly partnerId = uuidv7();
  readonly customers: string[];
  private runners: ProjectionRunner[] = [];

  private constructor(
    readonly pool: Pool,
    customerCount: number,
  ) {
    this.store = new PostgresEventStore(pool);
    this.customers = Array.from({ length: customerCount }, () => uuidv7());
  }

  static async create(pool: Pool, customerCount = 5): Promise<DeliveryWorld> {
    await migrateEventStore(pool);
    await migrateProjections(pool);
    await migrateInbox(pool);
    await pool.query(`CREATE TABLE IF NOT EXISTS effects (
      seq bigserial PRIMARY KEY, consumer text NOT NULL, customer_id uuid NOT NULL, step integer NOT NULL, event_id uuid NOT NULL)`);
    return new DeliveryWorld(pool, customerCount);
  }

  /** Appends steps `from..to` for every customer, interleaved across customers. */
  async appendSteps(from: number, to: number): Promise<void> {
    for (let step = from; step <= to; step++) {
      for (const customerId of this.customers) {
        await this.store.append(
          `customer-${customerId}`,
          [
            {
              id: uuidv7(),
              type: 'StepRecorded',
              schemaVersion: 1,
              data: { step },
              metadata: {
                partnerId: this.partnerId,
                customerId,
                occurredAt: new Date().toISOString(),
                correlationId: uuidv7(),
                actor: { type: 'user', id: 'tester' },
              },
            },
          ],
          { expectedVersion: step - 1 },
        );
      }
    }
  }

  /** The service-supplied mapping: domain event → integration envelope (same id, so retries dedupe). */
  static map(event: RecordedEvent): StepRecorded | undefined {
    if (event.type !== 'StepRecorded') return undefined;
    return {
      id: event.id,
      type: 'StepRecorded',
      version: 1,
      source: '/msp-platform/customers',
      time: event.metadata.occurredAt,
      subject: event.metadata.customerId!,
      partnerId: event.metadata.partnerId,
      correlationId: event.metadata.correlationId,
      causationId: event.id,
      actor: event.metadata.actor,
      data: { step: (event.data as { step: number }).step },
    };
  }

  relay(publisher: MessagePublisher, name = 'customers.integration-relay'): IntegrationEventRelay {
    return new IntegrationEventRelay({
      name,
      filter: { categories: ['customer'] },
      map: DeliveryWorld.map,
      publisher,
      batchSize: 10,
    });
  }

  startRelay(publisher: MessagePublisher, options: ProjectionRunnerOptions = {}): ProjectionRunner {
    const runner = new ProjectionRunner({
      pool: this.pool,
      store: this.store,
      projection: this.relay(publisher),
      options: {
        ...RELAY_RUNNER_OPTIONS,
        backoff: { initialMs: 20, maxMs: 500 },
        idleWaitMs: 100,
        lockRetryMs: 100,
        logger: process.env.DEBUG_RELAY ? console : silent,
        ...options,
      },
    });
    this.runners.push(runner);
    runner.start();
    return runner;
  }

  /**
   * Records an effect per event; `poison` events make it throw every time. Events of other
   * worlds (earlier tests on a shared real cluster) are ignored.
   */
  handler(consumer: string, poison: (e: StepRecorded) => boolean = () => false): InboxHandler<StepRecorded> {
    return async (event, tx) => {
      if (event.partnerId !== this.partnerId) return;
      if (poison(event)) throw new Error(`poison step ${event.data.step} of ${event.subject}`);
      await tx.query('INSERT INTO effects (consumer, customer_id, step, event_id) VALUES ($1, $2, $3, $4)', [
        consumer,
        event.subject,
        event.data.step,
        event.id,
      ]);
    };
  }

  async effects(consumer: string): Promise<Effect[]> {
    const { rows } = await this.pool.query<{ customer_id: string; step: number; event_id: string }>(
      'SELECT customer_id, step, event_id FROM effects WHERE consumer = $1 ORDER BY seq',
      [consumer],
    );
    return rows.map((r) => ({ consumer, customerId: r.customer_id, step: r.step, eventId: r.event_id }));
  }

  async effectCount(consumer: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM effects WHERE consumer = $1', [
      consumer,
    ]);
    return rows[0].n;
  }

  /** Steps each customer's effects landed in, in the order they landed. */
  async stepsPerCustomer(consumer: string): Promise<Record<string, number[]>> {
    const out: Record<string, number[]> = Object.fromEntries(this.customers.map((c) => [c, []]));
    for (const e of await this.effects(consumer)) (out[e.customerId] ??= []).push(e.step);
    return out;
  }

  expectedSteps(to: number, except: (customerId: string, step: number) => boolean = () => false) {
    return Object.fromEntries(
      this.customers.map((c) => [c, Array.from({ length: to }, (_, i) => i + 1).filter((s) => !except(c, s))]),
    );
  }

  /** Parked messages of every consumer in this world's database. */
  async parked(): Promise<Array<{ event_id: string; error: string; attempts: number }>> {
    const { rows } = await this.pool.query<{ event_id: string; error: string; attempts: number }>(
      'SELECT event_id, error, attempts FROM inbox_parked',
    );
    return rows;
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.store.close();
  }
}

/** One transport as the shared scenarios drive it: the service-facing MessageTransport plus test controls. */
export interface TransportUnderTest {
  transport: MessageTransport;
  /** Consumer group names as the transport sees them. */
  group(name: string): string;
  /** Makes a stopped group read the topic again from the start. */
  resetOffsets(groupId: string): Promise<void>;
  /** Whether a crash between the broker's ack and the relay checkpoint makes copies reach consumers. */
  republishesAfterRelayCrash: boolean;
}

export interface TestConsumerOptions {
  groupId: string;
  handler: InboxHandler<StepRecorded>;
  probe?: ConsumerProbe;
  maxAttempts?: number;
}

/** Starts an inbox consumer of the test topic through the service-facing API. */
export async function startTestConsumer(t: TransportUnderTest, pool: Pool, o: TestConsumerOptions): Promise<InboxConsumer> {
  const consumer = t.transport.consumer<StepRecorded>({
    groupId: t.group(o.groupId),
    topics: [TEST_TOPIC],
    pool,
    handler: o.handler,
    maxAttempts: o.maxAttempts,
    backoff: { initialMs: 10, maxMs: 100 },
    onOutcome: o.probe?.onOutcome,
    logger: process.env.DEBUG_RELAY ? console : silent,
  });
  await consumer.start();
  return consumer;
}

export function kafkaTransport(kafka: Kafka, consumerConfig: Omit<ConsumerConfig, 'groupId'>): TransportUnderTest {
  // Unique per transport: on a real cluster (KAFKA_BROKERS) groups of earlier tests still exist.
  const run = uuidv7();
  const group = (name: string) => `${name}-${run}`;
  return {
    transport: new KafkaTransport(kafka, { registry: testRegistry, consumer: consumerConfig }),
    group,
    republishesAfterRelayCrash: true,
    // admin.resetOffsets needs DescribeGroups, which librdkafka's mock cluster does not answer:
    // a short-lived member of the group commits offset 0 on every partition instead.
    async resetOffsets(groupId) {
      const member = kafka.consumer({ ...consumerConfig, groupId: group(groupId) });
      const joined = new Promise<Record<string, number[]>>((resolve) =>
        member.on(member.events.GROUP_JOIN, (e) => resolve(e.payload.memberAssignment)),
      );
      await member.connect();
      try {
        await member.subscribe({ topics: [TEST_TOPIC], fromBeginning: true });
        await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
        const assignment = await joined;
        await member.commitOffsets(
          (assignment[TEST_TOPIC] ?? []).map((partition) => ({ topic: TEST_TOPIC, partition, offset: '0' })),
        );
      } finally {
        await member.disconnect();
      }
    },
  };
}

export async function inProcessTransport(pool: Pool): Promise<TransportUnderTest> {
  await migrateInProcessBus(pool);
  const bus = new InProcessBus(pool, { pollIntervalMs: 20, registry: testRegistry });
  return {
    transport: bus,
    group: (name) => name,
    republishesAfterRelayCrash: false,
    resetOffsets: (groupId) => bus.resetOffsets(groupId, TEST_TOPIC),
  };
}

/**
 * Wraps a publisher: the `crashOnCall`-th publish succeeds at the broker, then fails as if the
 * process died before the checkpoint commit.
 */
export class CrashAfterAckPublisher implements MessagePublisher {
  private calls = 0;
  crashed = false;

  constructor(
    private readonly inner: MessagePublisher,
    private readonly crashOnCall: number,
  ) {}

  async publish(events: readonly IntegrationEventEnvelope[], tx?: PoolClient): Promise<void> {
    await this.inner.publish(events, tx);
    if (++this.calls === this.crashOnCall) {
      this.crashed = true;
      throw new Error('simulated crash after the broker acknowledged, before the checkpoint commit');
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Counts publishes that failed (to tell that a fault really hit the relay). */
export class ObservedPublisher implements MessagePublisher {
  failures = 0;
  successes = 0;

  constructor(private readonly inner: MessagePublisher) {}

  async publish(events: readonly IntegrationEventEnvelope[], tx?: PoolClient): Promise<void> {
    try {
      await this.inner.publish(events, tx);
      this.successes++;
    } catch (e) {
      this.failures++;
      throw e;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
