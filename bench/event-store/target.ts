import type { PoolConfig } from 'pg';
import type { BenchEvent } from './workload';

/** What the projection wrote and where its checkpoint ended, read back after a catch-up. */
export interface CatchUpOutcome {
  /** Sum of the per-type counters the projection wrote. */
  counted: number;
  perType: Record<string, number>;
  /** The projection's stored checkpoint (global position) after catch-up. */
  checkpoint: string;
  /** Highest global position in the log. */
  head: string;
  /** Events in the log (count(*)), to show the counter saw each event exactly once. */
  eventsInLog: number;
  /** Events at or below the checkpoint: what the catch-up got through (all of them unless time-capped). */
  eventsCovered: number;
}

/** One event store under test. Both implementations get the same calls with the same events. */
export interface BenchTarget {
  readonly name: 'ours' | 'emmett';
  /** Creates the schema (not timed). */
  setup(): Promise<void>;
  /** Appends to a stream that must not exist yet (expected version no_stream). */
  appendNew(streamId: string, events: BenchEvent[]): Promise<void>;
  /** Creates the read model and registers the projection; not timed. */
  prepareCatchUp(): Promise<void>;
  /**
   * Runs the projection from position 0 until it has caught up with the log, or stops it after
   * `maxSeconds`; timed (start-up included). Resolves true when it caught up.
   */
  catchUp(maxSeconds: number): Promise<boolean>;
  /** Reads back the read model and checkpoint (not timed). */
  inspectCatchUp(): Promise<CatchUpOutcome>;
  /** Closes every pool and timer so the process can exit on its own. */
  close(): Promise<void>;
}

export interface BenchParams {
  poolSize: number;
  singleWriters: number;
  singleOps: number;
  singleWarmupOps: number;
  singleMaxSeconds: number;
  batchSize: number;
  batchWriters: number;
  batchWarmupBatches: number;
  batchMaxSeconds: number;
  /** Measured rounds per append scenario; the two stores alternate round by round. */
  rounds: number;
  /** Events in the log the catch-up reads (all written by the batch-append phase). */
  catchUpEvents: number;
  /** Events per projection transaction / per read (same for both). */
  catchUpBatchSize: number;
  /** A catch-up still running after this long is stopped and rated on what it got through. */
  catchUpMaxSeconds: number;
  /** Longest untimed wait for other sessions' open transactions before the catch-up. */
  settleMaxSeconds: number;
  /** Diagnostic only: `off` runs both stores without waiting for the WAL flush at commit. */
  synchronousCommit: 'on' | 'off';
}

/** Pool settings shared by both stores. */
export function poolConfig(connectionString: string, params: BenchParams): PoolConfig {
  return {
    connectionString,
    max: params.poolSize,
    ...(params.synchronousCommit === 'off' ? { options: '-c synchronous_commit=off' } : {}),
  };
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

export function paramsFromEnv(): BenchParams {
  const params: BenchParams = {
    poolSize: int('BENCH_POOL_SIZE', 16),
    singleWriters: int('BENCH_SINGLE_WRITERS', 16),
    singleOps: int('BENCH_SINGLE_OPS', 20_000),
    singleWarmupOps: int('BENCH_SINGLE_WARMUP', 1_000),
    singleMaxSeconds: int('BENCH_SINGLE_MAX_SECONDS', 20),
    batchSize: int('BENCH_BATCH_SIZE', 100),
    batchWriters: int('BENCH_BATCH_WRITERS', 4),
    batchWarmupBatches: int('BENCH_BATCH_WARMUP', 20),
    batchMaxSeconds: int('BENCH_BATCH_MAX_SECONDS', 60),
    rounds: int('BENCH_ROUNDS', 4),
    catchUpEvents: int('BENCH_EVENTS', 200_000),
    catchUpBatchSize: int('BENCH_CATCHUP_BATCH', 500),
    catchUpMaxSeconds: int('BENCH_CATCHUP_MAX_SECONDS', 90),
    settleMaxSeconds: int('BENCH_SETTLE_MAX_SECONDS', 60),
    synchronousCommit: process.env.BENCH_SYNCHRONOUS_COMMIT === 'off' ? 'off' : 'on',
  };
  if (params.catchUpEvents % params.batchSize !== 0)
    throw new Error('BENCH_EVENTS must be a multiple of BENCH_BATCH_SIZE');
  if (params.catchUpEvents / params.batchSize < params.batchWarmupBatches + params.rounds)
    throw new Error('BENCH_EVENTS / BENCH_BATCH_SIZE must exceed BENCH_BATCH_WARMUP + BENCH_ROUNDS');
  return params;
}
