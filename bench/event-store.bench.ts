/**
 * Event store benchmark: our PostgreSQL adapter + ProjectionRunner vs emmett-postgresql 0.42,
 * same server, same payloads, same concurrency and pool size.
 *
 *   npm run bench:event-store            (DATABASE_URL and BENCH_* env vars override defaults)
 *
 * Prints ONE JSON object on stdout; progress goes to stderr. Creates two fresh databases (one
 * per store), drives each store from its own child process (bench/event-store/worker.ts) and
 * alternates between them round by round, then drops both databases.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { log, round, type RunResult } from './event-store/measure';
import { paramsFromEnv, type BenchParams } from './event-store/target';
import type { CatchUpResult, SettleResult, WorkerCommand, WorkerReply } from './event-store/worker';

const GOAL_RATIO = 1.5;
type TargetName = 'ours' | 'emmett';

const liveWorkers = new Set<Worker>();

class Worker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly ready: Promise<unknown>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: TargetName,
    dbUrl: string,
  ) {
    this.child = fork(path.join(__dirname, 'event-store', 'worker.ts'), [], {
      cwd: path.join(__dirname, '..'),
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, BENCH_TARGET: name, BENCH_DB_URL: dbUrl },
      // The child's stdout goes to our stderr: stdout carries only the final JSON.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => this.pending.set(0, { resolve, reject }));
    this.child.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) p?.resolve(reply.result);
      else p?.reject(new Error(`${name}: ${reply.error}`));
    });
    liveWorkers.add(this);
    this.child.on('exit', (code) => {
      liveWorkers.delete(this);
      for (const p of this.pending.values()) p.reject(new Error(`${name} worker exited (code ${code})`));
      this.pending.clear();
    });
  }

  call<T>(command: WorkerCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, ...command });
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }

  /** Asks the worker to close its pools and waits for its process to end on its own. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.call({ cmd: 'close' }).catch((e: unknown) => log(String(e)));
    const timer = setTimeout(() => this.child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

interface Rounds {
  rounds: RunResult[];
  ops: number;
  seconds: number;
  opsPerSecond: number;
}

function total(rounds: RunResult[]): Rounds {
  const ops = rounds.reduce((n, r) => n + r.ops, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  return { rounds, ops, seconds: round(seconds, 3), opsPerSecond: round(ops / seconds, 1) };
}

/** Runs `run` for each worker per round, swapping who goes first every round. */
async function alternate(
  workers: Record<TargetName, Worker>,
  rounds: number,
  run: (w: Worker, round: number) => Promise<RunResult>,
): Promise<Record<TargetName, RunResult[]>> {
  const out: Record<TargetName, RunResult[]> = { ours: [], emmett: [] };
  for (let r = 0; r < rounds; r++) {
    const order: TargetName[] = r % 2 === 0 ? ['ours', 'emmett'] : ['emmett', 'ours'];
    for (const t of order) out[t].push(await run(workers[t], r));
  }
  return out;
}

function compare(ours: number | null, emmett: number | null, unit: string) {
  const ratio = ours !== null && emmett ? round(ours / emmett, 3) : null;
  return { unit, ours, emmett, ratio, meetsGoal: ratio !== null && ratio >= GOAL_RATIO };
}

function split(totalCount: number, parts: number, index: number): number {
  const base = Math.floor(totalCount / parts);
  return index === parts - 1 ? totalCount - base * (parts - 1) : base;
}

async function runBenchmark(p: BenchParams, workers: Record<TargetName, Worker>) {
  const each = Object.values(workers);
  await Promise.all(each.map((w) => w.ready));
  await Promise.all(each.map((w) => w.call({ cmd: 'setup' })));

  // 1. Batch appends. They also write the log the catch-up reads: exactly catchUpEvents events.
  const measuredBatches = p.catchUpEvents / p.batchSize - p.batchWarmupBatches;
  log(
    `batch appends: warm-up ${p.batchWarmupBatches} batches, then ${p.rounds} rounds, ` +
      `${measuredBatches} x ${p.batchSize} events, ${p.batchWriters} writers`,
  );
  for (const w of each) await w.call({ cmd: 'appendBatches', batches: p.batchWarmupBatches, maxSeconds: 600 });
  const batch = await alternate(workers, p.rounds, async (w, r) => {
    const res = await w.call<RunResult>({
      cmd: 'appendBatches',
      batches: split(measuredBatches, p.rounds, r),
      maxSeconds: p.batchMaxSeconds / p.rounds,
    });
    log(`  ${w.name} round ${r + 1}: ${round(res.opsPerSecond * p.batchSize, 0)} events/s`);
    return res;
  });
  for (const w of each) {
    const missing = measuredBatches - batch[w.name].reduce((n, r) => n + r.ops, 0);
    if (missing > 0) {
      log(`  ${w.name}: time cap hit, seeding the remaining ${missing} batches untimed`);
      await w.call({ cmd: 'appendBatches', batches: missing, maxSeconds: 3600 });
    }
    await w.call({ cmd: 'vacuum' });
  }

  // 2. Catch-up from position 0 over the whole log, once per store.
  const catchUp: Partial<Record<TargetName, CatchUpResult>> = {};
  const settle: Partial<Record<TargetName, SettleResult>> = {};
  for (const w of each) {
    const s = await w.call<SettleResult>({ cmd: 'settle' });
    settle[w.name] = { ...s, seconds: round(s.seconds, 2) };
    if (!s.passed) {
      log(`  ${w.name}: catch-up NOT measured: open transactions hold the read horizon: ${JSON.stringify(s.blockers)}`);
      continue;
    }
    if (s.seconds > 0.5) log(`  waited ${round(s.seconds, 1)}s for other sessions' open transactions`);
    log(`catch-up: ${w.name}, ${p.catchUpEvents} events`);
    const c = await w.call<CatchUpResult>({ cmd: 'catchUp' });
    catchUp[w.name] = c;
    const note = c.caughtUp ? '' : ` (stopped after ${p.catchUpMaxSeconds}s at ${c.outcome.eventsCovered} events)`;
    log(`  ${w.name}: ${round(c.outcome.eventsCovered / c.seconds, 0)} events/s${note}`);
  }

  // 3. Single-event appends to new streams.
  log(
    `single appends: warm-up ${p.singleWarmupOps}, then ${p.rounds} rounds, ` +
      `${p.singleOps} ops total, ${p.singleWriters} writers`,
  );
  for (const w of each) await w.call({ cmd: 'appendSingles', ops: p.singleWarmupOps, maxSeconds: 600 });
  const single = await alternate(workers, p.rounds, async (w, r) => {
    const res = await w.call<RunResult>({
      cmd: 'appendSingles',
      ops: split(p.singleOps, p.rounds, r),
      maxSeconds: p.singleMaxSeconds / p.rounds,
    });
    log(`  ${w.name} round ${r + 1}: ${res.opsPerSecond} appends/s`);
    return res;
  });

  const batchTotals = { ours: total(batch.ours), emmett: total(batch.emmett) };
  const singleTotals = { ours: total(single.ours), emmett: total(single.emmett) };
  const catchUpRate = (t: TargetName): number | null => {
    const c = catchUp[t];
    return c ? round(c.outcome.eventsCovered / c.seconds, 1) : null;
  };
  const verify = (t: TargetName) => {
    const c = catchUp[t];
    if (!c) return { measured: false, blockers: settle[t]?.blockers ?? [] };
    const o = c.outcome;
    return {
      measured: true,
      caughtUp: c.caughtUp,
      ...o,
      // Every event in the log counted exactly once, and the checkpoint ended on the head.
      countedAll: o.counted === p.catchUpEvents && o.eventsInLog === p.catchUpEvents,
      checkpointAtHead: o.checkpoint === o.head,
      // Events the catch-up went past without the projection counting them.
      skipped: o.eventsCovered - o.counted,
    };
  };
  return {
    results: {
      singleAppend: compare(singleTotals.ours.opsPerSecond, singleTotals.emmett.opsPerSecond, 'appends/s'),
      batchAppend: compare(
        round(batchTotals.ours.opsPerSecond * p.batchSize, 1),
        round(batchTotals.emmett.opsPerSecond * p.batchSize, 1),
        'events/s',
      ),
      catchUp: compare(catchUpRate('ours'), catchUpRate('emmett'), 'events/s'),
    },
    verification: { ours: verify('ours'), emmett: verify('emmett') },
    details: {
      singleAppendRoundRatios: single.ours.map((r, i) => round(r.opsPerSecond / single.emmett[i].opsPerSecond, 3)),
      batchAppendRoundRatios: batch.ours.map((r, i) => round(r.opsPerSecond / batch.emmett[i].opsPerSecond, 3)),
      singleAppend: singleTotals,
      batchAppend: batchTotals,
      catchUpSeconds: {
        ours: catchUp.ours ? round(catchUp.ours.seconds, 3) : null,
        emmett: catchUp.emmett ? round(catchUp.emmett.seconds, 3) : null,
      },
      /** Untimed waits for the cluster's snapshot horizon before each catch-up. */
      settle,
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function main(): Promise<void> {
  const baseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const p = paramsFromEnv();
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databases: Record<TargetName, string> = { ours: `bench_es_ours_${suffix}`, emmett: `bench_es_emmett_${suffix}` };
  const workers: Partial<Record<TargetName, Worker>> = {};
  const started = Date.now();
  try {
    const serverVersion = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    for (const db of Object.values(databases)) await admin.query(`CREATE DATABASE ${db}`);
    workers.ours = new Worker('ours', withDatabase(baseUrl, databases.ours));
    workers.emmett = new Worker('emmett', withDatabase(baseUrl, databases.emmett));
    const measured = await runBenchmark(p, workers as Record<TargetName, Worker>);
    const result = {
      benchmark: 'event-store: ours (PostgresEventStore + ProjectionRunner) vs emmett-postgresql',
      startedAt: new Date(started).toISOString(),
      durationSeconds: round((Date.now() - started) / 1000, 1),
      environment: {
        node: process.version,
        postgres: serverVersion,
        cpus: os.cpus().length,
        loadAverage1mAtEnd: round(os.loadavg()[0], 2),
        emmett: '@event-driven-io/emmett@0.42.0 + @event-driven-io/emmett-postgresql@0.42.0',
      },
      parameters: {
        ...p,
        eventJsonBytes: '~320 (type + data + metadata; same UUIDv7 ids and payloads on both sides)',
        singleAppend:
          `1 event per append, new stream, expected version no_stream, ${p.singleWriters} concurrent writers, ` +
          `${p.rounds} rounds alternating between the stores`,
        batchAppend:
          `${p.batchSize} events per append, new stream, expected version no_stream, ${p.batchWriters} concurrent ` +
          `writers, ${p.rounds} alternating rounds; these appends write the ${p.catchUpEvents}-event log the catch-up reads`,
        catchUp:
          `from position 0, projection counts events per type into a table, checkpoint in the same transaction, ` +
          `${p.catchUpBatchSize} events per read; rate = events at or below the final checkpoint / seconds ` +
          `(a catch-up still running after ${p.catchUpMaxSeconds}s is stopped there)`,
        oursApi:
          'new PostgresEventStore(pool).append(stream, events, {expectedVersion: "no_stream"}); ' +
          'new ProjectionRunner({pool, store, projection: {name, batchSize, handle(events, tx)}}).start() until ' +
          'status() is live at the head, then stop()',
        emmettApi:
          'getPostgreSQLEventStore(url, {connectionOptions: {pool}}).appendToStream(stream, events, ' +
          '{expectedStreamVersion: STREAM_DOES_NOT_EXIST}); store.consumer({stopWhen: {noMessagesLeft: true}, ' +
          `pulling: {batchSize: ${p.catchUpBatchSize}, pullingFrequencyInMs: 0}}).projector({projection: ` +
          'postgreSQLProjection({name, canHandle, handle(events, context)})}); await consumer.start()',
      },
      goal: { ratio: GOAL_RATIO },
      ...measured,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    const ours = measured.verification.ours;
    if (!('countedAll' in ours) || !ours.countedAll || !ours.checkpointAtHead) process.exitCode = 2;
  } finally {
    await Promise.all(Object.values(workers).map((w) => w.close()));
    for (const db of Object.values(databases)) {
      // BENCH_KEEP_DATABASES=1 leaves them for profiling (EXPLAIN, table sizes); drop them yourself.
      if (process.env.BENCH_KEEP_DATABASES === '1') log(`kept database ${db}`);
      else {
        await admin
          .query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
          .catch((e: unknown) => log(`drop ${db}: ${String(e)}`));
      }
    }
    await admin.end();
  }
}

// On Ctrl-C / SIGTERM: end the workers (their pending calls then fail) and let the `finally`
// in main() drop the databases instead of dying with them still there.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping the workers and dropping the databases`);
    for (const w of liveWorkers) w.kill();
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
