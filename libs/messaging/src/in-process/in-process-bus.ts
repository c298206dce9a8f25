import type { Pool, PoolClient } from 'pg';
import { backoffDelay, sleep } from '@platform/core';
import { migrate, type Migration } from '@platform/event-store';
import {
  integrationEventRegistry,
  toKafkaMessage,
  type IntegrationEvent,
  type IntegrationEventEnvelope,
  type IntegrationEventRegistry,
  type OutgoingKafkaMessage,
} from '@platform/contracts';
import { InboxProcessor, type ReceivedMessage } from '../inbox/inbox-processor';
import { inTransaction } from '@platform/event-store';
import type { MessagePublisher } from '../message-publisher.port';
import type { InboxConsumer, InboxConsumerOptions, MessageTransport } from '../message-transport';

export const IN_PROCESS_BUS_MIGRATIONS: Migration[] = [
  {
    id: '001_inprocess_bus',
    sql: `
      -- The embedded mode's topics: an append-only log per topic (one partition), durable so
      -- that what the relay's checkpoint says was published really was.
      CREATE TABLE IF NOT EXISTS inprocess_messages (
        topic        text        NOT NULL,
        "offset"     bigint      NOT NULL,
        message_key  text,
        headers      jsonb       NOT NULL,
        value        bytea,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, "offset")
      );
      CREATE TABLE IF NOT EXISTS inprocess_consumer_offsets (
        consumer_group text   NOT NULL,
        topic          text   NOT NULL,
        next_offset    bigint NOT NULL,
        PRIMARY KEY (consumer_group, topic)
      );`,
  },
];

export async function migrateInProcessBus(pool: Pool): Promise<void> {
  await migrate(pool, 'inprocess_bus', IN_PROCESS_BUS_MIGRATIONS);
}

export interface InProcessBusOptions {
  /** How often an idle consumer looks for new messages (default 100 ms). */
  pollIntervalMs?: number;
  /** Messages read per query (default, and at most, 25: one chunk, see CHUNK_SIZE). */
  readBatchSize?: number;
  /** Contracts events are checked against and take their topic from (default: all of them). */
  registry?: IntegrationEventRegistry;
}

/** The consumer's `pool` must reach the bus's database: offsets move in the consumer's transactions. */
export type InProcessConsumerOptions<TEvent extends IntegrationEventEnvelope = IntegrationEvent> =
  InboxConsumerOptions<TEvent>;

/**
 * The embedded mode's transport, with Kafka's delivery semantics and none of its machinery.
 *
 * Topics are tables in the same PostgreSQL database as the event log. The relay publishes by
 * inserting into its own transaction, so the topic log and the relay checkpoint commit together:
 * nothing published can be lost and nothing is published twice. Consumers keep their offset
 * per (group, topic) in that database too and move it in the transaction that writes the inbox
 * row and the handler's effect, so a crash at any point resumes exactly where it stopped; the
 * inbox still deduplicates when offsets are reset. A topic is one partition read in offset
 * order, so per-key order holds; appends to a topic are serialised by a transaction-scoped
 * advisory lock, so offsets are handed out in commit order and a reader never skips a message
 * that commits late. Messages are stored in their Kafka form (CloudEvents binary headers), so
 * both transports share the codec and the inbox path.
 */
export class InProcessBus implements MessageTransport {
  /** For the relay; closing it leaves the bus running. */
  readonly publisher: MessagePublisher = {
    publish: (events, tx) => this.publish(events, tx),
    committed: (events) => this.wakeConsumers(events && this.topicsOf(events)),
    close: async () => undefined,
  };
  private readonly consumers = new Set<InboxConsumer>();
  private readonly pollIntervalMs: number;
  private readonly readBatchSize: number;
  private readonly registry: IntegrationEventRegistry;
  /** Idle consumers by topic. */
  private readonly wakers = new Map<string, Set<() => void>>();

  constructor(
    private readonly pool: Pool,
    options: InProcessBusOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.readBatchSize = options.readBatchSize ?? CHUNK_SIZE;
    this.registry = options.registry ?? integrationEventRegistry;
  }

  /** See MessagePublisher.publish: with `tx`, the events commit (or roll back) with the caller's transaction. */
  async publish(events: readonly IntegrationEventEnvelope[], tx?: PoolClient): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map((e) => toKafkaMessage(e, this.registry));
    if (tx) {
      // Not readable before the caller commits: it calls `committed()` then (the relay does), else the poll finds them.
      await this.append(messages, tx);
      return;
    }
    await inTransaction(this.pool, (own) => this.append(messages, own));
    this.wakeConsumers(new Set(messages.map((m) => m.topic)));
  }

  private topicsOf(events: readonly IntegrationEventEnvelope[]): Set<string> {
    // Unknown contracts never reach here: publish() refused them.
    return new Set(events.map((e) => this.registry.lookup(e.type, e.version)?.topic ?? ''));
  }

  /** Wakes the idle consumers of `topics` (all of them when not given): only they have anything new to read. */
  private wakeConsumers(topics?: ReadonlySet<string>): void {
    for (const [topic, wakers] of this.wakers) {
      if (topics && !topics.has(topic)) continue;
      for (const wake of wakers) wake();
    }
  }

  private async append(messages: readonly OutgoingKafkaMessage[], tx: PoolClient): Promise<void> {
    const byTopic = new Map<string, OutgoingKafkaMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    // Fixed lock order, so two writers to overlapping topics cannot deadlock.
    for (const topic of [...byTopic.keys()].sort()) {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('inprocess_bus'), hashtext($1))`, [topic]);
      const { rows } = await tx.query<{ next: string }>(
        `SELECT coalesce(max("offset") + 1, 0)::text AS next FROM inprocess_messages WHERE topic = $1`,
        [topic],
      );
      let offset = BigInt(rows[0].next);
      const values: unknown[] = [];
      const tuples: string[] = [];
      for (const m of byTopic.get(topic)!) {
        const i = values.length;
        tuples.push(`($${i + 1}, $${i + 2}, $${i + 3}, $${i + 4}, $${i + 5})`);
        values.push(topic, (offset++).toString(), m.key, JSON.stringify(m.headers), Buffer.from(m.value));
      }
      await tx.query(
        `INSERT INTO inprocess_messages (topic, "offset", message_key, headers, value) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
  }

  /** Makes a group read a topic again from `offset` (Kafka: reset offsets); the group should be stopped. */
  async resetOffsets(groupId: string, topic: string, offset = 0n): Promise<void> {
    await this.pool.query(
      `INSERT INTO inprocess_consumer_offsets (consumer_group, topic, next_offset) VALUES ($1, $2, $3)
       ON CONFLICT (consumer_group, topic) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
      [groupId, topic, offset.toString()],
    );
  }

  consumer<TEvent extends IntegrationEventEnvelope = IntegrationEvent>(
    options: InProcessConsumerOptions<TEvent>,
  ): InProcessInboxConsumer<TEvent> {
    const consumer = new InProcessInboxConsumer<TEvent>({ registry: this.registry, ...options }, {
      pollIntervalMs: this.pollIntervalMs,
      readBatchSize: this.readBatchSize,
      wakers: this.wakers,
    });
    this.consumers.add(consumer);
    return consumer;
  }

  /** Stops the consumers made by this bus; the pool belongs to the caller. */
  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
    this.consumers.clear();
  }
}

/**
 * Messages per transaction when a group has a backlog: enough to spread BEGIN / claim / advance /
 * COMMIT thin, few enough that one transaction does not hold PGlite (which runs one at a time)
 * for long.
 */
const CHUNK_SIZE = 25;

interface BusInternals {
  pollIntervalMs: number;
  readBatchSize: number;
  wakers: Map<string, Set<() => void>>;
}

interface StoredMessage {
  offset: string;
  message_key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
}

/** One member of a consumer group on the in-process bus; several members of a group share the work safely. */
export class InProcessInboxConsumer<TEvent extends IntegrationEventEnvelope = IntegrationEvent> implements InboxConsumer {
  private readonly processor: InboxProcessor<TEvent>;
  private abort?: AbortController;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly options: InProcessConsumerOptions<TEvent>,
    private readonly bus: BusInternals,
  ) {
    this.processor = new InboxProcessor<TEvent>({ ...options, consumer: options.groupId });
  }

  async start(): Promise<void> {
    if (this.abort) throw new Error(`consumer ${this.options.groupId} already started`);
    const abort = new AbortController();
    this.abort = abort;
    for (const topic of this.options.topics) {
      await this.options.pool.query(
        `INSERT INTO inprocess_consumer_offsets (consumer_group, topic, next_offset) VALUES ($1, $2, 0)
         ON CONFLICT DO NOTHING`,
        [this.options.groupId, topic],
      );
    }
    this.loops = this.options.topics.map((topic) => this.consume(topic, abort.signal));
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await Promise.all(this.loops);
    this.loops = [];
    this.abort = undefined;
  }

  /**
   * `cursor` runs ahead of the committed offset over messages the processor ignored (types
   * outside the group's `eventTypes`): they cost no transaction. The committed offset catches
   * up with the next handled message, or with one UPDATE when the loop goes idle or a second
   * has passed; after a crash the ignored ones are read (and ignored) again.
   */
  private async consume(topic: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    const position = { cursor: 0n, committed: 0n, savedAt: Date.now() };
    while (!signal.aborted) {
      try {
        const batch = await this.readFromCommittedOffset(topic, position);
        if (batch.length === 0 || Date.now() - position.savedAt >= 1000) await this.saveIgnored(topic, position);
        if (batch.length === 0) {
          await this.idle(topic, signal);
          continue;
        }
        const messages = batch.map((row): ReceivedMessage => ({
          topic,
          partition: 0,
          offset: row.offset,
          key: row.message_key,
          value: row.value,
          headers: row.headers,
        }));
        // A backlog goes in chunks, one transaction each; a chunk that fails goes one by one.
        const last = messages[messages.length - 1].offset;
        const chunk = messages.length > 1 ? await this.processor.processChunk(messages, this.positionHooks(topic, position.committed, last)) : undefined;
        if (chunk?.[0] === 'skipped') {
          position.cursor = 0n; // another member of the group got there first: re-read from the committed offset
          continue;
        }
        if (chunk) {
          position.cursor = position.committed = BigInt(last) + 1n;
          messages.forEach((m, i) => this.options.onOutcome?.(chunk[i], m));
          failures = 0;
          continue;
        }
        for (const message of messages) {
          if (signal.aborted) return;
          const outcome = await this.processor.process(message, this.positionHooks(topic, position.committed, message.offset), { signal });
          if (outcome === 'skipped') {
            position.cursor = 0n;
            break;
          }
          position.cursor = BigInt(message.offset) + 1n;
          if (outcome !== 'ignored') position.committed = position.cursor;
          this.options.onOutcome?.(outcome, message);
        }
        failures = 0;
      } catch (e) {
        if (signal.aborted) return;
        failures++;
        (this.options.logger ?? console).warn(`${this.options.groupId}/${topic}: ${(e as Error).message}; retrying`);
        await sleep(backoffDelay(failures, { initialMs: 100, maxMs: 5000 }), signal);
      }
    }
  }

  /** Reads after the committed offset, or after the cursor when ignored messages put it ahead. */
  private async readFromCommittedOffset(topic: string, position: { cursor: bigint; committed: bigint }): Promise<StoredMessage[]> {
    const { rows } = await this.options.pool.query<StoredMessage & { committed: string }>(
      `SELECT o.next_offset::text AS committed, m."offset"::text AS "offset", m.message_key, m.headers, m.value
         FROM inprocess_consumer_offsets o
         LEFT JOIN LATERAL (
           SELECT * FROM inprocess_messages
            WHERE topic = o.topic AND "offset" >= greatest(o.next_offset, $3::bigint)
            ORDER BY "offset" LIMIT $4) m ON true
        WHERE o.consumer_group = $1 AND o.topic = $2`,
      // No more than a chunk: a backlog is handled a chunk per transaction, then read again.
      [this.options.groupId, topic, position.cursor.toString(), Math.min(this.bus.readBatchSize, CHUNK_SIZE)],
    );
    if (rows.length === 0) return [];
    position.committed = BigInt(rows[0].committed);
    if (position.cursor < position.committed) position.cursor = position.committed;
    return rows[0].offset === null ? [] : rows;
  }

  /** Moves the committed offset over ignored messages (guarded: a group member may have moved it). */
  private async saveIgnored(topic: string, position: { cursor: bigint; committed: bigint; savedAt: number }): Promise<void> {
    position.savedAt = Date.now();
    if (position.cursor <= position.committed) return;
    const { rowCount } = await this.options.pool.query(
      `UPDATE inprocess_consumer_offsets SET next_offset = $4 WHERE consumer_group = $1 AND topic = $2 AND next_offset = $3`,
      [this.options.groupId, topic, position.committed.toString(), position.cursor.toString()],
    );
    if (rowCount === 1) position.committed = position.cursor;
    else position.cursor = 0n;
  }

  /**
   * The group's position moves in the message's own transaction; the row lock serialises group
   * members. `committed` is the offset as read: past it up to `offset` only ignored messages.
   */
  private positionHooks(topic: string, committed: bigint, offset: string) {
    const group = this.options.groupId;
    return {
      claim: async (tx: PoolClient) => {
        const { rows } = await tx.query<{ next_offset: string }>(
          `SELECT next_offset::text AS next_offset FROM inprocess_consumer_offsets
            WHERE consumer_group = $1 AND topic = $2 FOR UPDATE`,
          [group, topic],
        );
        return rows[0]?.next_offset === committed.toString();
      },
      advance: async (tx: PoolClient) => {
        await tx.query(
          `UPDATE inprocess_consumer_offsets SET next_offset = $3::bigint + 1 WHERE consumer_group = $1 AND topic = $2`,
          [group, topic, offset],
        );
      },
    };
  }

  private idle(topic: string, signal: AbortSignal): Promise<void> {
    let wakers = this.bus.wakers.get(topic);
    if (!wakers) this.bus.wakers.set(topic, (wakers = new Set()));
    const topicWakers = wakers;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        topicWakers.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.bus.pollIntervalMs);
      topicWakers.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
