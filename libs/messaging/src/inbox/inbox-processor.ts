import type { Pool, PoolClient } from 'pg';
import { backoffDelay, sleep, type BackoffOptions } from '@platform/core';
import {
  CloudEventHeaders,
  fromKafkaMessage,
  integrationEventRegistry,
  type IncomingKafkaMessage,
  type IntegrationEvent,
  type IntegrationEventEnvelope,
  type IntegrationEventRegistry,
} from '@platform/contracts';
import { inTransaction } from '@platform/event-store';

/** A message as a transport hands it over: Kafka's shape, plus where it came from. */
export interface ReceivedMessage extends IncomingKafkaMessage {
  topic: string;
  partition: number;
  offset: string;
}

export interface MessageContext {
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  /** 1 on the first try. */
  attempt: number;
  /** Runs `fn` once the message's transaction has committed (not if it rolls back), e.g. to wake readers. */
  afterCommit?(fn: () => void): void;
}

/**
 * A consumer's reaction to one integration event (switch on `event.type`). It runs inside the
 * transaction that also records the event id in the inbox: write with `tx` and the effect lands
 * exactly once. Throwing rolls it back; the message is retried and finally parked.
 */
export type InboxHandler<TEvent extends IntegrationEventEnvelope = IntegrationEvent> = (
  event: TEvent,
  tx: PoolClient,
  context: MessageContext,
) => Promise<void>;

/**
 * A reaction that cannot join the inbox transaction (appends through the event store, which
 * uses connections of its own: waiting for one while holding a transaction deadlocks embedded
 * PGlite). It runs before that transaction, unless the inbox already holds the message, and may
 * run again after a crash: it must be idempotent (deterministic event ids). Failures are
 * retried and parked like the handler's.
 */
export type InboxEffect<TEvent extends IntegrationEventEnvelope = IntegrationEvent> = (
  event: TEvent,
  context: MessageContext,
) => Promise<void>;

export interface MessagingLogger {
  warn(message: string): void;
}

export interface InboxProcessorOptions<TEvent extends IntegrationEventEnvelope = IntegrationEvent> {
  /** Consumer name (usually the consumer group): the inbox deduplicates per consumer. */
  consumer: string;
  pool: Pool;
  handler: InboxHandler<TEvent>;
  /** Runs before the handler's transaction (see InboxEffect). */
  beforeTransaction?: InboxEffect<TEvent>;
  /**
   * The event types this consumer reacts to (default: all). Others are acknowledged without a
   * transaction or an inbox row (outcome `ignored`): on a busy topic most groups care about a
   * few types, and a transaction per message they ignore was most of their work.
   */
  eventTypes?: readonly string[];
  /** Contracts messages are read with (default: all of them). */
  registry?: IntegrationEventRegistry;
  /** Tries before a message is parked (default 5). */
  maxAttempts?: number;
  /** Delay between tries (default 100 ms doubling up to 5 s). */
  backoff?: BackoffOptions;
  /** Failed tries and parked messages are reported here (default: console.warn). */
  logger?: MessagingLogger;
}

/**
 * Transport hooks that run inside the message's transaction: the in-process bus keeps its
 * consumer offsets in the same database, so it moves the position in that transaction, guarded
 * against another member of the group. Kafka commits its offset after the transaction instead.
 */
export interface InboxTxHooks {
  /**
   * After the message was handled, found a duplicate, or parked. False: someone else took the
   * position meanwhile; the transaction rolls back and the outcome is `skipped`.
   */
  advance?(tx: PoolClient): Promise<boolean | void>;
}

/** `advance` found the position taken: roll back. */
class PositionTakenError extends Error {}

async function advanceOrRollBack(hooks: InboxTxHooks, tx: PoolClient): Promise<void> {
  if ((await hooks.advance?.(tx)) === false) throw new PositionTakenError('the group position moved');
}

/** `skipped`: another member of the group took the position; `ignored`: a type outside `eventTypes`. */
export type InboxOutcome = 'handled' | 'duplicate' | 'parked' | 'skipped' | 'ignored';

export class ConsumerStoppedError extends Error {
  constructor() {
    super('consumer stopped while retrying a message');
  }
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 5000 };
const consoleLogger: MessagingLogger = { warn: (message) => console.warn(message) };

/**
 * The inbox logic every transport shares: BEGIN; record (consumer, event id); only if that was
 * new, run the handler in the same transaction; COMMIT. A redelivered message finds its id and
 * changes nothing. A handler that keeps failing is retried with backoff and then parked with its
 * error, and the partition moves on.
 */
export class InboxProcessor<TEvent extends IntegrationEventEnvelope = IntegrationEvent> {
  readonly consumer: string;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffOptions;
  private readonly logger: MessagingLogger;
  private readonly eventTypes?: ReadonlySet<string>;

  constructor(private readonly options: InboxProcessorOptions<TEvent>) {
    this.consumer = options.consumer;
    this.eventTypes = options.eventTypes && new Set(options.eventTypes);
    this.logger = options.logger ?? consoleLogger;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /**
   * Rejects only when the database itself fails (or `signal` aborts a retry wait): the
   * transport must then not commit the position, so the message comes again.
   */
  async process(
    message: ReceivedMessage,
    hooks: InboxTxHooks = {},
    opts: { signal?: AbortSignal; beforeRetry?: () => Promise<void> } = {},
  ): Promise<InboxOutcome> {
    if (this.isIgnored(message)) return 'ignored';
    let envelope: TEvent;
    try {
      envelope = fromKafkaMessage(message, this.options.registry ?? integrationEventRegistry) as unknown as TEvent;
    } catch (e) {
      // Malformed, or a (type, version) without a contract here: no retry can help. Parked
      // rather than skipped, so an event from a newer producer is kept until this consumer knows it.
      return this.park(message, undefined, `unreadable message: ${errorText(e)}`, 0, hooks);
    }
    for (let attempt = 1; ; attempt++) {
      let handlerError: unknown;
      const onCommit: Array<() => void> = [];
      const effect = this.options.beforeTransaction;
      if (effect && !(await this.inInbox(envelope.id))) {
        const { topic, partition, offset } = message;
        try {
          await effect(envelope, { consumer: this.consumer, topic, partition, offset, attempt });
        } catch (e) {
          handlerError = e;
        }
      }
      if (handlerError === undefined) {
        try {
          const outcome = await inTransaction(this.options.pool, async (tx): Promise<InboxOutcome> => {
            const inserted = await tx.query(
              `INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
              [this.consumer, envelope.id, envelope.type, message.topic, message.partition, message.offset],
            );
            const fresh = inserted.rowCount === 1;
            if (fresh) {
              const { topic, partition, offset } = message;
              try {
                const afterCommit = (fn: () => void) => void onCommit.push(fn);
                await this.options.handler(envelope, tx, { consumer: this.consumer, topic, partition, offset, attempt, afterCommit });
              } catch (e) {
                handlerError = e;
                throw e;
              }
            }
            await advanceOrRollBack(hooks, tx);
            return fresh ? 'handled' : 'duplicate';
          });
          this.runAfterCommit(onCommit, `${envelope.type} ${envelope.id}`);
          return outcome;
        } catch (e) {
          if (e instanceof PositionTakenError) return 'skipped';
          if (handlerError === undefined) throw e; // the database failed, not the handler
        }
      }
      const error = errorText(handlerError);
      if (attempt >= this.maxAttempts) return this.park(message, envelope, error, attempt, hooks);
      this.logger.warn(
        `${this.consumer}: ${envelope.type} ${envelope.id} (${message.topic}/${message.partition}@${message.offset}) ` +
          `failed, try ${attempt}/${this.maxAttempts}: ${error}`,
      );
      await sleep(backoffDelay(attempt, this.backoff), opts.signal);
      if (opts.signal?.aborted) throw new ConsumerStoppedError();
      await opts.beforeRetry?.();
    }
  }

  /**
   * Several messages of one partition in ONE transaction: the inbox rows, per message the
   * handler, advance, commit; `beforeTransaction` effects run before it, in order. A backlog
   * then costs one BEGIN / inbox insert / advance / COMMIT per chunk instead of per message.
   * Answers the outcome of each message, or `undefined` when anything failed (a message that
   * cannot be read, a handler error, the database): the transaction rolled back and nothing of
   * the chunk was applied, so the caller processes the same messages one by one with `process`,
   * which retries and parks. `skipped` for all when `advance` found the position taken.
   */
  async processChunk(messages: readonly ReceivedMessage[], hooks: InboxTxHooks = {}): Promise<InboxOutcome[] | undefined> {
    if (messages.every((m) => this.isIgnored(m))) return undefined;
    const envelopes: Array<TEvent | undefined> = [];
    for (const message of messages) {
      if (this.isIgnored(message)) {
        envelopes.push(undefined);
        continue;
      }
      try {
        envelopes.push(fromKafkaMessage(message, this.options.registry ?? integrationEventRegistry) as unknown as TEvent);
      } catch {
        return undefined; // parked by `process`
      }
    }
    if (!(await this.runEffects(messages, envelopes))) return undefined;
    const onCommit: Array<() => void> = [];
    let outcomes: InboxOutcome[];
    try {
      outcomes = await inTransaction(this.options.pool, async (tx): Promise<InboxOutcome[]> => {
        // The chunk's inbox rows in one statement: the ids it inserted are the fresh messages.
        const fresh = await this.recordInInbox(tx, messages, envelopes);
        const result: InboxOutcome[] = [];
        for (let i = 0; i < messages.length; i++) {
          const envelope = envelopes[i];
          if (!envelope) {
            result.push('ignored');
            continue;
          }
          const { topic, partition, offset } = messages[i];
          // An id the statement inserted is fresh once: a second copy in the same chunk is a duplicate.
          if (!fresh.delete(envelope.id.toLowerCase())) {
            result.push('duplicate');
            continue;
          }
          const afterCommit = (fn: () => void) => void onCommit.push(fn);
          await this.options.handler(envelope, tx, { consumer: this.consumer, topic, partition, offset, attempt: 1, afterCommit });
          result.push('handled');
        }
        await advanceOrRollBack(hooks, tx);
        return result;
      });
    } catch (e) {
      return e instanceof PositionTakenError ? messages.map(() => 'skipped' as const) : undefined;
    }
    this.runAfterCommit(onCommit, 'a chunk');
    return outcomes;
  }

  /** Inserts the inbox rows of a chunk's messages (ignored ones have no envelope); answers the event ids inserted. */
  private async recordInInbox(tx: PoolClient, messages: readonly ReceivedMessage[], envelopes: ReadonlyArray<TEvent | undefined>): Promise<Set<string>> {
    const rows = envelopes.flatMap((e, i) => (e ? [{ e, m: messages[i] }] : []));
    const { rows: inserted } = await tx.query<{ event_id: string }>(
      `INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")
       SELECT $1, r.event_id, r.event_type, r.topic, r.partition, r."offset"
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::text[]) WITH ORDINALITY
              AS r(event_id, event_type, topic, partition, "offset", n)
        ORDER BY r.n
       ON CONFLICT DO NOTHING RETURNING event_id::text AS event_id`,
      [
        this.consumer,
        rows.map((r) => r.e.id),
        rows.map((r) => r.e.type),
        rows.map((r) => r.m.topic),
        rows.map((r) => r.m.partition),
        rows.map((r) => r.m.offset),
      ],
    );
    return new Set(inserted.map((r) => r.event_id));
  }

  /**
   * The `beforeTransaction` effects of a chunk, in order, before its transaction: those of
   * messages the inbox already holds are skipped (one query for the chunk). False when one
   * failed: the chunk then goes one by one (effects are idempotent, so running some again is safe).
   */
  private async runEffects(messages: readonly ReceivedMessage[], envelopes: ReadonlyArray<TEvent | undefined>): Promise<boolean> {
    const effect = this.options.beforeTransaction;
    if (!effect) return true;
    const ids = envelopes.filter((e): e is TEvent => e !== undefined).map((e) => e.id);
    const { rows } = await this.options.pool.query<{ event_id: string }>(
      'SELECT event_id::text AS event_id FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])',
      [this.consumer, ids],
    );
    const done = new Set(rows.map((r) => r.event_id.toLowerCase()));
    for (let i = 0; i < messages.length; i++) {
      const envelope = envelopes[i];
      if (!envelope || done.has(envelope.id.toLowerCase())) continue;
      const { topic, partition, offset } = messages[i];
      try {
        await effect(envelope, { consumer: this.consumer, topic, partition, offset, attempt: 1 });
      } catch {
        return false;
      }
    }
    return true;
  }

  /** A type outside `eventTypes`, read from the header alone; a message without one is decoded (and parked). */
  private isIgnored(message: ReceivedMessage): boolean {
    return this.ignoresType(message.headers?.[CloudEventHeaders.type]?.toString());
  }

  /** Whether a message of this `ce_type` would come out `ignored` (no transaction, no inbox row). */
  ignoresType(type: string | undefined): boolean {
    return this.eventTypes !== undefined && type !== undefined && !this.eventTypes.has(type);
  }

  private runAfterCommit(steps: Array<() => void>, what: string): void {
    for (const fn of steps) {
      try {
        fn();
      } catch (e) {
        this.logger.warn(`${this.consumer}: an after-commit step of ${what} failed: ${errorText(e)}`);
      }
    }
  }

  private async inInbox(eventId: string): Promise<boolean> {
    const { rowCount } = await this.options.pool.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', [this.consumer, eventId]);
    return (rowCount ?? 0) > 0;
  }

  private async park(
    message: ReceivedMessage,
    envelope: IntegrationEventEnvelope | undefined,
    error: string,
    attempts: number,
    hooks: InboxTxHooks,
  ): Promise<InboxOutcome> {
    this.logger.warn(
      `${this.consumer}: parking ${message.topic}/${message.partition}@${message.offset} after ${attempts} tries: ${error}`,
    );
    return inTransaction(this.options.pool, async (tx): Promise<InboxOutcome> => {
      await tx.query(
        `INSERT INTO inbox_parked
           (consumer, topic, partition, "offset", event_id, event_type, message_key, headers, value, error, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [
          this.consumer,
          message.topic,
          message.partition,
          message.offset,
          envelope?.id ?? null,
          envelope?.type ?? null,
          message.key === null || message.key === undefined ? null : message.key.toString(),
          JSON.stringify(headersAsText(message.headers)),
          message.value === null ? null : Buffer.from(message.value),
          error,
          attempts,
        ],
      );
      await advanceOrRollBack(hooks, tx);
      return 'parked';
    }).catch((e: unknown) => {
      if (e instanceof PositionTakenError) return 'skipped';
      throw e;
    });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function headersAsText(headers: ReceivedMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}
