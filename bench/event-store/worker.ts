/**
 * Child process driving ONE event store; the parent (bench/event-store.bench.ts) sends it one
 * command at a time over IPC and alternates between the two stores, so background load on the
 * shared machine hits both alike. One process per store also keeps their module-level state
 * apart (emmett's dumbo replaces pg's global int8/jsonb type parsers).
 */
import { Client, Pool } from 'pg';
import { log, runConcurrent, type RunResult } from './measure';
import { paramsFromEnv, type BenchParams, type BenchTarget, type CatchUpOutcome } from './target';
import { streamOf } from './workload';

export type WorkerCommand =
  | { cmd: 'setup' }
  | { cmd: 'appendBatches'; batches: number; maxSeconds: number }
  | { cmd: 'appendSingles'; ops: number; maxSeconds: number }
  | { cmd: 'vacuum' }
  | { cmd: 'settle' }
  | { cmd: 'catchUp' }
  | { cmd: 'close' };

export interface CatchUpResult {
  seconds: number;
  caughtUp: boolean;
  outcome: CatchUpOutcome;
}

export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

async function createTarget(name: string, url: string, params: BenchParams): Promise<BenchTarget> {
  if (name === 'emmett') {
    const { EmmettTarget } = await import('./emmett-target');
    return new EmmettTarget(url, params);
  }
  if (name === 'ours') {
    const { OursTarget } = await import('./ours-target');
    return new OursTarget(url, params);
  }
  throw new Error(`unknown target ${name}`);
}

async function main(): Promise<void> {
  const name = process.env.BENCH_TARGET ?? '';
  const url = process.env.BENCH_DB_URL ?? '';
  if (!url || !process.send) throw new Error('run me through bench/event-store.bench.ts');
  const params = paramsFromEnv();
  const target = await createTarget(name, url, params);
  let seq = 0;
  let closed = false;

  const appendBatch = async (): Promise<void> => {
    const { streamId, events } = streamOf(params.batchSize, seq);
    seq += params.batchSize;
    await target.appendNew(streamId, events);
  };
  const appendOne = async (): Promise<void> => {
    const { streamId, events } = streamOf(1, seq++);
    await target.appendNew(streamId, events);
  };

  const handlers: Record<WorkerCommand['cmd'], (c: never) => Promise<unknown>> = {
    setup: () => target.setup(),
    appendBatches: (c: { batches: number; maxSeconds: number }): Promise<RunResult> =>
      runConcurrent({
        concurrency: params.batchWriters,
        totalOps: c.batches,
        maxSeconds: c.maxSeconds,
        op: appendBatch,
      }),
    appendSingles: (c: { ops: number; maxSeconds: number }): Promise<RunResult> =>
      runConcurrent({ concurrency: params.singleWriters, totalOps: c.ops, maxSeconds: c.maxSeconds, op: appendOne }),
    vacuum: () => vacuumAnalyze(url),
    settle: () => waitForHorizon(url, params.settleMaxSeconds),
    catchUp: async (): Promise<CatchUpResult> => {
      await target.prepareCatchUp();
      const t0 = performance.now();
      const caughtUp = await target.catchUp(params.catchUpMaxSeconds);
      const seconds = (performance.now() - t0) / 1000;
      return { seconds, caughtUp, outcome: await target.inspectCatchUp() };
    },
    close: () => {
      closed = true;
      return target.close();
    },
  };

  process.on('message', (message: { id: number } & WorkerCommand) => {
    const { id, ...command } = message;
    handlers[command.cmd](command as never)
      .then(
        (result): WorkerReply => ({ id, ok: true, result }),
        (e: unknown): WorkerReply => {
          log(`${name}: ${command.cmd} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          return { id, ok: false, error: e instanceof Error ? e.message : String(e) };
        },
      )
      .then((reply) =>
        // After `close` the pools are gone: drop the IPC channel too so the process can exit.
        process.send?.(reply, () => command.cmd === 'close' && process.disconnect()),
      );
  });
  // The parent died without asking us to close: close anyway so this process does not linger.
  process.on('disconnect', () => {
    if (closed) return;
    closed = true;
    void target.close().finally(() => process.exit(1));
  });
  process.send({ id: 0, ok: true, result: 'ready' } satisfies WorkerReply);
}

/** Same for both stores: fresh statistics and no autovacuum of the seeded log mid-measurement. */
async function vacuumAnalyze(url: string): Promise<void> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    await pool.query('VACUUM ANALYZE');
  } finally {
    await pool.end();
  }
}

export interface SettleResult {
  seconds: number;
  passed: boolean;
  /** Sessions whose open transaction still held the horizon back when the wait gave up. */
  blockers: { pid: number; datname: string; state: string; transactionAgeSeconds: number }[];
}

/**
 * Both stores only hand out events whose transaction is older than every transaction still
 * running on the cluster (snapshot xmin). Other sessions on this shared server (test runs)
 * can hold that horizon back; wait, untimed, until it has passed everything appended so far,
 * so the timed catch-up measures reading, not someone else's open transaction.
 */
async function waitForHorizon(url: string, maxSeconds: number): Promise<SettleResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const mark = (await client.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0].x;
    const t0 = performance.now();
    for (;;) {
      const { rows } = await client.query<{ passed: boolean }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS passed',
        [mark],
      );
      const seconds = (performance.now() - t0) / 1000;
      if (rows[0].passed) return { seconds, passed: true, blockers: [] };
      if (seconds > maxSeconds) {
        const blockers = await client.query<SettleResult['blockers'][number]>(
          `SELECT pid, datname, state, extract(epoch FROM now() - xact_start)::int AS "transactionAgeSeconds"
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND backend_xid::text::bigint < $1::bigint`,
          [mark],
        );
        return { seconds, passed: false, blockers: blockers.rows };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
  process.disconnect?.();
});
