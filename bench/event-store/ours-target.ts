import { Pool, type PoolClient } from 'pg';
import {
  migrateEventStore,
  migrateProjections,
  PostgresEventStore,
  ProjectionRunner,
  type NewEvent,
  type Projection,
  type RecordedEvent,
} from '@platform/event-store';
import { poolConfig, type BenchParams, type BenchTarget, type CatchUpOutcome } from './target';
import { countTypes, readTypeCounts, TYPE_COUNTS_TABLE_SQL } from './type-counts';
import type { BenchEvent } from './workload';

const PROJECTION_NAME = 'bench_type_counts';

/** Our PostgreSQL adapter and ProjectionRunner, on a pg.Pool of the same size as emmett's. */
export class OursTarget implements BenchTarget {
  readonly name = 'ours' as const;
  private readonly pool: Pool;
  private readonly store: PostgresEventStore;
  private runner: ProjectionRunner | undefined;

  constructor(
    connectionString: string,
    private readonly params: BenchParams,
  ) {
    this.pool = new Pool(poolConfig(connectionString, params));
    this.store = new PostgresEventStore(this.pool);
  }

  async setup(): Promise<void> {
    await migrateEventStore(this.pool);
    await migrateProjections(this.pool);
  }

  async appendNew(streamId: string, events: BenchEvent[]): Promise<void> {
    const toAppend: NewEvent[] = events.map((e) => ({
      id: e.id,
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      metadata: e.metadata,
    }));
    await this.store.append(streamId, toAppend, { expectedVersion: 'no_stream' });
  }

  async prepareCatchUp(): Promise<void> {
    await this.pool.query(TYPE_COUNTS_TABLE_SQL);
    const projection: Projection = {
      name: PROJECTION_NAME,
      batchSize: this.params.catchUpBatchSize,
      // Runs inside the runner's transaction, which also moves the checkpoint.
      handle: (events: RecordedEvent[], tx: PoolClient) =>
        countTypes(
          tx,
          events.map((e) => e.type),
        ),
    };
    this.runner = new ProjectionRunner({ pool: this.pool, store: this.store, projection });
  }

  async catchUp(maxSeconds: number): Promise<boolean> {
    const runner = this.runner;
    if (!runner) throw new Error('prepareCatchUp first');
    // Nothing is appended during the catch-up, so the head read here is where it must end.
    const head = await this.store.headPosition();
    const deadline = performance.now() + maxSeconds * 1000;
    runner.start();
    try {
      return await new Promise<boolean>((resolve, reject) => {
        const poll = setInterval(() => {
          const s = runner.status();
          if (s.position >= head && s.state === 'live') {
            clearInterval(poll);
            resolve(true);
          } else if (s.state === 'backing-off') {
            clearInterval(poll);
            reject(new Error(`projection failed: ${s.lastError?.message}`));
          } else if (performance.now() > deadline) {
            clearInterval(poll);
            resolve(false);
          }
        }, 2);
      });
    } finally {
      await runner.stop();
    }
  }

  async inspectCatchUp(): Promise<CatchUpOutcome> {
    const { counted, perType } = await readTypeCounts(this.pool);
    const cp = await this.pool.query<{ position: string }>(
      'SELECT position::text AS position FROM projection_checkpoints WHERE name = $1',
      [PROJECTION_NAME],
    );
    const position = cp.rows[0]?.position ?? '0';
    const log = await this.pool.query<{ head: string | null; n: string; covered: string }>(
      `SELECT max(global_position)::text AS head, count(*)::text AS n,
              count(*) FILTER (WHERE global_position <= $1)::text AS covered
       FROM events`,
      [position],
    );
    return {
      counted,
      perType,
      checkpoint: position,
      head: log.rows[0].head ?? '0',
      eventsInLog: Number(log.rows[0].n),
      eventsCovered: Number(log.rows[0].covered),
    };
  }

  async close(): Promise<void> {
    await this.runner?.stop();
    await this.store.close();
    await this.pool.end();
  }
}
