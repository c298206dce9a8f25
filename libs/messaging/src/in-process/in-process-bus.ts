import type { Pool, PoolClient } from 'pg';
import { backoffDelay, sleep } from '@platform/core';
import { migrate, type Migration } from '@platform/event-store';
import {
  CloudEventHeaders,
  integrationEventRegistry,
  toKafkaMessage,
  type IntegrationEvent,
  type IntegrationEventEnvelope,
  type IntegrationEventRegistry,
  type OutgoingKafkaMessage,
} from '@platform/contracts';
import { InboxProcessor, type InboxTxHooks, type ReceivedMessage } from '../inbox/inbox-processor';
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
  {
    id: '002_inprocess_bus_append',
    sql: `
      -- One round trip per topic for a publish: lock the topic, take the next offsets, insert.
      -- The transaction-scoped lock hands offsets out in commit order (see InProcessBus).
      CREATE FUNCTION inprocess_bus_append(p_topic text, p_keys text[], p_headers jsonb[], p_values bytea[])
      RETURNS bigint LANGUAGE plpgsql AS $fn$
      DECLARE
        v_first bigint;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('inprocess_bus'), hashtext(p_topic));
        SELECT coalesce(max("offset") + 1, 0) INTO v_first FROM inprocess_messages WHERE topic = p_topic;
        INSERT INTO inprocess_messages (topic, "offset", message_key, headers, value)
        SELECT p_topic, v_first + m.n - 1, m.k, m.h, m.v
          FROM unnest(p_keys, p_headers, p_values) WITH ORDINALITY AS m(k, h, v, n);
        RETURN v_first;
      END
      $fn$;`,
  },
];

export async function migrateInProcessBus(pool: Pool): Promise<void> {
  await migrate(pool, 'inprocess_bus', IN_PROCESS_BUS_MIGRATIONS);
}

export interface InProcessBusOptions {
  /**
   * How often an idle consumer looks in the database for messages nobody woke it for (default
   * 100 ms): those of another process's bus on the same database. A process that is the only
   * publisher (embedded PGlite) can make this long: its own publishes always wake.
   */
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
    committed: (events) => this.committed(events),
    close: async () => undefined,
  };
  private readonly consumers = new Set<InboxConsumer>();
  private readonly pollIntervalMs: number;
  private readonly readBatchSize: number;
  private readonly registry: IntegrationEventRegistry;
  /** Idle consumers by topic. */
  private readonly wakers = new Map<string, Set<() => void>>();
  /** Wake-ups per topic so far: a consumer that saw the count move while it read does not go idle. */
  private readonly wakeCounts = new Map<string, number>();
  /** This bus's recently committed publishes, by topic. */
  private readonly tails = new Map<string, TopicTail>();
  /** Messages stored in a caller's transaction, by event id, until `committed()` (or a rollback's retry) replaces them. */
  private readonly uncommitted = new Map<string, PublishedMessage>();

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
      const stored = await this.append(messages, tx);
      events.forEach((e, i) => this.uncommitted.set(e.id, stored[i]));
      // A transaction that rolled back leaves its offsets here; its retry overwrites them, others age out.
      for (const id of this.uncommitted.keys()) {
        if (this.uncommitted.size <= MAX_UNCOMMITTED) break;
        this.uncommitted.delete(id);
      }
      return;
    }
    const stored = await inTransaction(this.pool, (own) => this.append(messages, own));
    this.remember(stored);
    this.wakeConsumers(new Set(messages.map((m) => m.topic)));
  }

  /** The caller's transaction with `events` committed: their offsets are known readable, their consumers woken. */
  private committed(events?: readonly IntegrationEventEnvelope[]): void {
    if (!events) return this.wakeConsumers();
    const stored: PublishedMessage[] = [];
    for (const e of events) {
      const published = this.uncommitted.get(e.id);
      if (!published) continue;
      this.uncommitted.delete(e.id);
      stored.push(published);
    }
    this.remember(stored);
    // Unknown contracts never reach here: publish() refused them.
    this.wakeConsumers(new Set(events.map((e) => this.registry.lookup(e.type, e.version)?.topic ?? '')));
  }

  private remember(stored: readonly PublishedMessage[]): void {
    for (const m of stored) {
      let tail = this.tails.get(m.topic);
      if (!tail) this.tails.set(m.topic, (tail = new TopicTail()));
      tail.add(m.offset, m.message);
    }
  }

  /** Wakes the idle consumers of `topics` (all of them when not given): only they have anything new to read. */
  private wakeConsumers(topics?: ReadonlySet<string>): void {
    for (const topic of topics ?? new Set([...this.wakers.keys(), ...this.wakeCounts.keys()])) {
      this.wakeCounts.set(topic, (this.wakeCounts.get(topic) ?? 0) + 1);
      for (const wake of this.wakers.get(topic) ?? []) wake();
    }
  }

  private async append(messages: readonly OutgoingKafkaMessage[], tx: PoolClient): Promise<PublishedMessage[]> {
    const byTopic = new Map<string, OutgoingKafkaMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    const stored = new Map<OutgoingKafkaMessage, PublishedMessage>();
    // Fixed lock order, so two writers to overlapping topics cannot deadlock.
    for (const topic of [...byTopic.keys()].sort()) {
      const batch = byTopic.get(topic)!;
      const { rows } = await tx.query<{ first: string }>(
        'SELECT inprocess_bus_append($1, $2::text[], $3::jsonb[], $4::bytea[])::text AS first',
        [topic, batch.map((m) => m.key), batch.map((m) => JSON.stringify(m.headers)), batch.map((m) => Buffer.from(m.value))],
      );
      let offset = BigInt(rows[0].first);
      for (const m of batch) stored.set(m, { topic, offset: offset++, message: m });
    }
    return messages.map((m) => stored.get(m)!);
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
      wakeCount: (topic) => this.wakeCounts.get(topic) ?? 0,
      tail: (topic) => this.tails.get(topic),
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
 * Messages per transaction when a group has a backlog: enough to spread BEGIN / advance /
 * COMMIT thin, few enough that one transaction does not hold PGlite (which runs one at a time)
 * for long.
 */
const CHUNK_SIZE = 25;

/** Least time between two writes of a group's offset over ignored messages (and the most a crash makes it read again). */
const IGNORED_SAVE_INTERVAL_MS = 1000;
/** Messages kept while their transaction has not said it committed (rolled-back ones age out). */
const MAX_UNCOMMITTED = 10_000;
/** Committed messages remembered per topic: enough for consumers that keep up never to read them back. */
const TAIL_SIZE = 1024;

interface PublishedMessage {
  topic: string;
  offset: bigint;
  message: OutgoingKafkaMessage;
}

/**
 * What this bus knows to be committed at the end of a topic: its own recent publishes, by
 * offset. A consumer whose cursor is inside it takes its next messages from here instead of a
 * query, steps over the ones its group ignores, and sees that it has caught up. Offsets it does
 * not hold (older ones, another process's publishes) are read from the database as before.
 */
export class TopicTail {
  private readonly messages = new Map<bigint, StoredMessage & { type: string | undefined }>();
  /** One past the highest offset known committed. */
  private end = 0n;

  add(offset: bigint, message: OutgoingKafkaMessage): void {
    this.messages.set(offset, {
      offset: offset.toString(),
      message_key: message.key,
      headers: message.headers,
      value: Buffer.from(message.value),
      type: message.headers[CloudEventHeaders.type],
    });
    if (offset >= this.end) this.end = offset + 1n;
    if (this.messages.size > TAIL_SIZE) this.messages.delete(this.messages.keys().next().value!);
  }

  /**
   * From `cursor`: steps over messages `ignores` says yes to (`skipped`), then answers up to
   * `max` messages in offset order (none when that is the end: caught up). Undefined when an
   * offset on the way is not known here: the caller reads the database.
   */
  read(
    cursor: bigint,
    ignores: (type: string | undefined) => boolean,
    max: number,
  ): { cursor: bigint; skipped: StoredMessage[]; messages: StoredMessage[] } | undefined {
    if (cursor > this.end) return undefined;
    let at = cursor;
    const skipped: StoredMessage[] = [];
    for (let m = this.messages.get(at); at < this.end && m && ignores(m.type); m = this.messages.get(at)) {
      skipped.push(m);
      at++;
    }
    const messages: StoredMessage[] = [];
    for (let next = at; next < this.end && messages.length < max; next++) {
      const m = this.messages.get(next);
      if (!m) break;
      messages.push(m);
    }
    return at < this.end && messages.length === 0 ? undefined : { cursor: at, skipped, messages };
  }
}

interface BusInternals {
  pollIntervalMs: number;
  readBatchSize: number;
  wakers: Map<string, Set<() => void>>;
  wakeCount(topic: string): number;
  tail(topic: string): TopicTail | undefined;
}

interface ConsumerPosition {
  /** Where the next read starts (ahead of `committed` over ignored messages). */
  cursor: bigint;
  /** The group's offset as last read or written. */
  committed: bigint;
  savedAt: number;
}

interface StoredMessage {
  offset: string;
  message_key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
}

function received(topic: string, row: StoredMessage): ReceivedMessage {
  return { topic, partition: 0, offset: row.offset, key: row.message_key, value: row.value, headers: row.headers };
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
   * up with the next handled message, or with one UPDATE at most once a second and when the
   * loop stops; after a crash the ignored ones are read (and ignored) again. Messages the bus
   * itself published are taken from its tail (TopicTail) rather than read back, and a consumer
   * that has caught up goes idle without a query; each transaction's guarded advance still checks
   * the group's offset, and any doubt (the position taken, an error, a poll) reads the database.
   */
  private async consume(topic: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    let mustRead = true;
    const position: ConsumerPosition = { cursor: 0n, committed: 0n, savedAt: Date.now() };
    while (!signal.aborted) {
      try {
        if (Date.now() - position.savedAt >= IGNORED_SAVE_INTERVAL_MS && !(await this.saveIgnored(topic, position))) mustRead = true;
        // Taken before looking: a wake-up that comes while this loop reads is not slept through.
        const wakeCount = this.bus.wakeCount(topic);
        const known = mustRead ? undefined : this.bus.tail(topic)?.read(position.cursor, (t) => this.processor.ignoresType(t), CHUNK_SIZE);
        if (known) {
          position.cursor = known.cursor;
          for (const row of known.skipped) this.options.onOutcome?.('ignored', received(topic, row));
        }
        const batch = known?.messages ?? (await this.readFromCommittedOffset(topic, position));
        mustRead = false;
        if (batch.length === 0) {
          // Caught up. What nobody wakes this loop for (another process's publishes) is looked
          // for in the database when the poll interval ends.
          mustRead = await this.idle(topic, signal, wakeCount);
          continue;
        }
        const messages = batch.map((row) => received(topic, row));
        // A backlog goes in chunks, one transaction each; a chunk that fails goes one by one.
        const last = messages[messages.length - 1].offset;
        const chunk = messages.length > 1 ? await this.processor.processChunk(messages, this.positionHooks(topic, position.committed, last)) : undefined;
        if (chunk?.[0] === 'skipped') {
          position.cursor = 0n; // another member of the group got there first: re-read from the committed offset
          mustRead = true;
          continue;
        }
        if (chunk) {
          position.cursor = position.committed = BigInt(last) + 1n;
          messages.forEach((m, i) => this.options.onOutcome?.(chunk[i], m));
          failures = 0;
          continue;
        }
        for (const message of messages) {
          if (signal.aborted) break;
          const outcome = await this.processor.process(message, this.positionHooks(topic, position.committed, message.offset), { signal });
          if (outcome === 'skipped') {
            position.cursor = 0n;
            mustRead = true;
            break;
          }
          position.cursor = BigInt(message.offset) + 1n;
          if (outcome !== 'ignored') position.committed = position.cursor;
          this.options.onOutcome?.(outcome, message);
        }
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        failures++;
        mustRead = true;
        (this.options.logger ?? console).warn(`${this.options.groupId}/${topic}: ${(e as Error).message}; retrying`);
        await sleep(backoffDelay(failures, { initialMs: 100, maxMs: 5000 }), signal);
      }
    }
    await this.saveIgnored(topic, position).catch(() => undefined);
  }

  /** Reads after the committed offset, or after the cursor when ignored messages put it ahead. */
  private async readFromCommittedOffset(topic: string, position: ConsumerPosition): Promise<StoredMessage[]> {
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
  private async saveIgnored(topic: string, position: ConsumerPosition): Promise<boolean> {
    position.savedAt = Date.now();
    if (position.cursor <= position.committed) return true;
    const { rowCount } = await this.options.pool.query(
      `UPDATE inprocess_consumer_offsets SET next_offset = $4 WHERE consumer_group = $1 AND topic = $2 AND next_offset = $3`,
      [this.options.groupId, topic, position.committed.toString(), position.cursor.toString()],
    );
    if (rowCount === 1) position.committed = position.cursor;
    else position.cursor = 0n;
    return rowCount === 1;
  }


  /**
   * The group's position moves in the message's own transaction, guarded by the offset as read
   * (`committed`: past it up to `offset` only ignored messages). If another member of the group
   * moved it meanwhile, the guard fails and the transaction rolls back (`skipped`); while it
   * waits for that member's row lock, the member's transaction ends first.
   */
  private positionHooks(topic: string, committed: bigint, offset: string): InboxTxHooks {
    const group = this.options.groupId;
    return {
      advance: async (tx: PoolClient) => {
        const { rowCount } = await tx.query(
          `UPDATE inprocess_consumer_offsets SET next_offset = $4::bigint + 1
            WHERE consumer_group = $1 AND topic = $2 AND next_offset = $3`,
          [group, topic, committed.toString(), offset],
        );
        return rowCount === 1;
      },
    };
  }

  /** Resolves true when the poll interval ended it, false when woken (or stopped). */
  private idle(topic: string, signal: AbortSignal, wakeCount: number): Promise<boolean> {
    if (this.bus.wakeCount(topic) !== wakeCount || signal.aborted) return Promise.resolve(false);
    let wakers = this.bus.wakers.get(topic);
    if (!wakers) this.bus.wakers.set(topic, (wakers = new Set()));
    const topicWakers = wakers;
    return new Promise((resolve) => {
      const done = (timedOut: boolean) => {
        clearTimeout(timer);
        topicWakers.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve(timedOut);
      };
      const wake = () => done(false);
      const timer = setTimeout(() => done(true), this.bus.pollIntervalMs);
      topicWakers.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
