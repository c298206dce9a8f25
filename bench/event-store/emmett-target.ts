import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import {
  getPostgreSQLEventStore,
  postgreSQLProjection,
  type PostgresEventStore,
  type PostgreSQLEventStoreConsumer,
} from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { poolConfig, type BenchParams, type BenchTarget, type CatchUpOutcome } from './target';
import { countTypes, readTypeCounts, TYPE_COUNTS_TABLE_SQL } from './type-counts';
import { EVENT_TYPES, type BenchEvent } from './workload';

const PROJECTION_NAME = 'bench_type_counts';

/**
 * Emmett 0.42 on PostgreSQL. The store gets our own pg.Pool (`connectionOptions.pool`), so
 * both sides run with the same pool size and we can end it ourselves. Note: loading emmett
 * (dumbo) replaces pg's global int8/jsonb type parsers, which is why each target runs in its
 * own process.
 */
export class EmmettTarget implements BenchTarget {
  readonly name = 'emmett' as const;
  private readonly pool: Pool;
  private readonly store: PostgresEventStore;
  private consumer: PostgreSQLEventStoreConsumer | undefined;
  private processorId = '';

  constructor(
    connectionString: string,
    private readonly params: BenchParams,
  ) {
    this.pool = new Pool(poolConfig(connectionString, params));
    this.store = getPostgreSQLEventStore(connectionString, {
      connectionOptions: { pool: this.pool },
      schema: { autoMigration: 'None' },
    });
  }

  async setup(): Promise<void> {
    await this.store.schema.migrate();
  }

  async appendNew(streamId: string, events: BenchEvent[]): Promise<void> {
    await this.store.appendToStream(
      streamId,
      events.map((e) => ({ type: e.type, data: e.data, metadata: { ...e.metadata, messageId: e.id } })),
      { expectedStreamVersion: STREAM_DOES_NOT_EXIST },
    );
  }

  async prepareCatchUp(): Promise<void> {
    await this.pool.query(TYPE_COUNTS_TABLE_SQL);
    // Emmett's pull loop sleeps `pullingFrequencyInMs` (default 50) between full batches and
    // reads 100 per batch by default; both set to match our runner (no pause, same page size).
    const consumer = this.store.consumer({
      stopWhen: { noMessagesLeft: true },
      pulling: { batchSize: this.params.catchUpBatchSize, pullingFrequencyInMs: 0 },
    });
    const processor = consumer.projector({
      projection: postgreSQLProjection({
        name: PROJECTION_NAME,
        canHandle: [...EVENT_TYPES],
        // Runs inside the processor's transaction, which also stores the checkpoint.
        handle: async (events, context) => {
          await countTypes(
            context.connection.client,
            events.map((e) => e.type),
          );
        },
      }),
    });
    this.processorId = processor.id;
    this.consumer = consumer;
  }

  async catchUp(maxSeconds: number): Promise<boolean> {
    const consumer = this.consumer;
    if (!consumer) throw new Error('prepareCatchUp first');
    let timer: NodeJS.Timeout | undefined;
    const capped = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), maxSeconds * 1000)));
    // start() resolves once the puller found no messages left (stopWhen.noMessagesLeft).
    const caughtUp = await Promise.race([consumer.start().then(() => true), capped]);
    clearTimeout(timer);
    if (!caughtUp) await consumer.stop();
    return caughtUp;
  }

  async inspectCatchUp(): Promise<CatchUpOutcome> {
    const { counted, perType } = await readTypeCounts(this.pool);
    const checkpoint = await this.pool.query<{ c: string }>(
      'SELECT last_processed_checkpoint AS c FROM emt_processors WHERE processor_id = $1',
      [this.processorId],
    );
    const position = checkpoint.rows.length ? BigInt(checkpoint.rows[0].c).toString() : '0';
    const { rows } = await this.pool.query<{ head: string | null; n: string; covered: string }>(
      `SELECT max(global_position)::text AS head, count(*)::text AS n,
              count(*) FILTER (WHERE global_position <= $1)::text AS covered
       FROM emt_messages`,
      [position],
    );
    return {
      counted,
      perType,
      checkpoint: position,
      head: rows[0].head ?? '0',
      eventsInLog: Number(rows[0].n),
      eventsCovered: Number(rows[0].covered),
    };
  }

  async close(): Promise<void> {
    if (this.consumer) await this.consumer.stop();
    await this.store.close();
    await this.pool.end();
  }
}
