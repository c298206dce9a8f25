/**
 * HTTP API benchmark (issue 3): customer list, invitations and list freshness.
 *
 *   npm run bench:api        (DATABASE_URL adds a PostgreSQL run; BENCH_* env vars override sizes)
 *
 * For each target (the embedded system on PGlite always; PostgreSQL at DATABASE_URL when set,
 * in a fresh database that is dropped at the end) a child process (bench/api/server.ts) runs
 * the embedded system and seeds it: BENCH_CUSTOMERS customers for one partner and
 * BENCH_OTHER_PARTNERS × BENCH_OTHER_CUSTOMERS for others, then waits for the projections to
 * catch up (timed). This process then drives the HTTP API over loopback:
 *   1. list: search term + status + country filters + sort by name, BENCH_LIST_CONNECTIONS
 *      keep-alive connections for BENCH_LIST_SECONDS (after a short warm-up);
 *   2. invite: POST /api/v1/customers with unique bodies and an Idempotency-Key each,
 *      BENCH_INVITE_CONNECTIONS connections for BENCH_INVITE_SECONDS;
 *   3. visible: PATCH a customer's name, then poll the list (search for the new name, without
 *      any read-your-writes hint) until it shows; BENCH_VISIBLE_SAMPLES samples.
 * Prints ONE JSON object on stdout; progress goes to stderr.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from '@platform/core';
import { signJwt } from '@platform/service-kit';
import { HttpClient, runLoad, summarize, type HttpAnswer, type LoadResult } from './load';
import { TAGS } from './seed-data';
import type { SeedResult, ServerCommand, ServerReply } from './server';
import { createBenchDatabase, freePort } from '../support/bench-infrastructure';

const JWT_SECRET = 'bench-api-secret-0123456789abcdefghijkl';

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

const params = {
  customers: int('BENCH_CUSTOMERS', 100_000),
  otherPartners: int('BENCH_OTHER_PARTNERS', 20),
  otherCustomers: int('BENCH_OTHER_CUSTOMERS', 5_000),
  seedBatchCustomers: int('BENCH_SEED_BATCH', 5_000),
  listConnections: int('BENCH_LIST_CONNECTIONS', 32),
  listSeconds: int('BENCH_LIST_SECONDS', 20),
  warmupSeconds: int('BENCH_WARMUP_SECONDS', 3),
  inviteConnections: int('BENCH_INVITE_CONNECTIONS', 16),
  inviteSeconds: int('BENCH_INVITE_SECONDS', 10),
  visibleSamples: int('BENCH_VISIBLE_SAMPLES', 200),
};

const GOALS = { listP99Ms: 25, listRequestsPerSecond: 1_500, inviteP99Ms: 30, visibleP99Ms: 100 };

// Terms partners type: plain words, accent-free spellings of accented names, domain fragments.
const SEARCH_TERMS = ['rossi', 'northwind', 'societe', 'zurich', 'muller', 'acme', 'contoso', 'generale', 'beacon', 'harbor', 'credit', 'orbit'];
const COUNTRIES = ['IT', 'FR', 'US', 'GB', 'DE'];
const STATUSES = ['active', 'invited'];

const log = (msg: string) => process.stderr.write(`[bench:api] ${msg}\n`);

class Server {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly child: ChildProcess;
  readonly ready: Promise<{ url: string }>;

  constructor(env: Record<string, string | undefined>) {
    this.child = fork(path.join(__dirname, 'server.ts'), [], {
      cwd: path.join(__dirname, '..', '..'),
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env,
      // stdout of the child (its logs) goes to our stderr: our stdout carries only the JSON.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => this.pending.set(0, { resolve: resolve as (v: unknown) => void, reject }));
    this.child.on('message', (reply: ServerReply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) p?.resolve(reply.result);
      else p?.reject(new Error(reply.error));
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`bench server exited (code ${code})`));
      this.pending.clear();
    });
  }

  call<T>(command: ServerCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, ...command });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.call({ cmd: 'stop' }).catch((e: unknown) => log(String(e)));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

interface TargetResult {
  target: string;
  database: 'pglite' | 'postgresql';
  seed: Omit<SeedResult, 'samples'>;
  list: LoadResult & { query: string };
  invite: LoadResult;
  visible: { samples: number; timeouts: number; latencyMs: ReturnType<typeof summarize>; polls: number };
  goals: Record<string, { goal: string; value: number; meetsGoal: boolean }>;
}

function bearer(partnerId: string, userId: string): Record<string, string> {
  return { authorization: `Bearer ${signJwt({ sub: userId, pid: partnerId, roles: ['global-admin'] }, JWT_SECRET, 3600)}` };
}

function listPath(n: number): string {
  const search = SEARCH_TERMS[n % SEARCH_TERMS.length];
  const status = STATUSES[n % STATUSES.length];
  const country = COUNTRIES[Math.floor(n / 2) % COUNTRIES.length];
  return `/api/v1/customers?search=${search}&status=${status}&country=${country}&sort=name&limit=50`;
}

const is2xx = (a: HttpAnswer) => a.status >= 200 && a.status < 300;

async function runTarget(name: string, database: TargetResult['database'], env: Record<string, string | undefined>): Promise<TargetResult> {
  const port = await freePort();
  const server = new Server({
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    AUTH_JWT_SECRET: JWT_SECRET,
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_BURST: '100000000',
  });
  try {
    const { url } = await server.ready;
    log(`${name}: system up at ${url}; seeding`);
    const main = { partnerId: uuidv7(), actorId: uuidv7(), customers: params.customers };
    const others = Array.from({ length: params.otherPartners }, () => ({ partnerId: uuidv7(), actorId: uuidv7(), customers: params.otherCustomers }));
    const seed = await server.call<SeedResult>({ cmd: 'seed', partners: [main, ...others], batchCustomers: params.seedBatchCustomers });
    log(`${name}: seeded ${seed.customers} customers in ${seed.seedMs} ms; caught up ${JSON.stringify(seed.catchUpMs)}`);
    const headers = bearer(main.partnerId, main.actorId);

    // Sanity: the list answers and holds the seeded partner's customers only.
    const probe = new HttpClient(url);
    const all = await probe.send({ method: 'GET', path: '/api/v1/customers?limit=1', headers });
    if (all.status !== 200) throw new Error(`list answered ${all.status}: ${all.body.slice(0, 300)}`);
    log(`${name}: list total ${(JSON.parse(all.body) as { total: number }).total}`);

    log(`${name}: list warm-up ${params.warmupSeconds}s`);
    await runLoad({ url, connections: params.listConnections, durationMs: params.warmupSeconds * 1000, next: (n) => ({ method: 'GET', path: listPath(n), headers }), accept: is2xx });
    log(`${name}: list ${params.listSeconds}s at ${params.listConnections} connections`);
    const profiled = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
      const dir = process.env.BENCH_SERVER_PROF;
      if (!dir) return run();
      await server.call({ cmd: 'profile', action: 'start' });
      try {
        return await run();
      } finally {
        await server.call({ cmd: 'profile', action: 'stop', file: path.join(dir, `${database}-${phase}.cpuprofile`) });
      }
    };
    const list = await profiled('list', () => runLoad({
      url,
      connections: params.listConnections,
      durationMs: params.listSeconds * 1000,
      next: (n) => ({ method: 'GET', path: listPath(n), headers }),
      accept: is2xx,
    }));

    log(`${name}: invitations ${params.inviteSeconds}s at ${params.inviteConnections} connections`);
    const runId = randomBytes(3).toString('hex');
    const invite = await profiled('invite', () => runLoad({
      url,
      connections: params.inviteConnections,
      durationMs: params.inviteSeconds * 1000,
      next: (n) => ({
        method: 'POST',
        path: '/api/v1/customers',
        headers: { ...headers, 'idempotency-key': randomUUID() },
        body: {
          organizationName: `Bench Invite ${runId} ${n}`,
          primaryDomain: `bench-${runId}-${n}.example.com`,
          countryCode: COUNTRIES[n % COUNTRIES.length],
          accountType: 'microsoft365-global-admin',
          contactEmail: `admin@bench-${runId}-${n}.example.com`,
          tags: [TAGS[n % TAGS.length]],
          locale: 'en',
        },
      }),
      accept: (a) => a.status === 201,
    }));

    log(`${name}: list freshness, ${params.visibleSamples} samples`);
    const visible = await measureVisibility(probe, headers, seed.samples[main.partnerId]);
    probe.close();

    const goals = {
      listP99: { goal: `p99 <= ${GOALS.listP99Ms} ms`, value: list.latencyMs.p99, meetsGoal: list.latencyMs.p99 <= GOALS.listP99Ms && list.errors === 0 },
      listThroughput: {
        goal: `>= ${GOALS.listRequestsPerSecond} requests/s`,
        value: list.requestsPerSecond,
        meetsGoal: list.requestsPerSecond >= GOALS.listRequestsPerSecond && list.errors === 0,
      },
      inviteP99: { goal: `p99 <= ${GOALS.inviteP99Ms} ms`, value: invite.latencyMs.p99, meetsGoal: invite.latencyMs.p99 <= GOALS.inviteP99Ms && invite.errors === 0 },
      visibleP99: {
        goal: `p99 <= ${GOALS.visibleP99Ms} ms`,
        value: visible.latencyMs.p99,
        meetsGoal: visible.latencyMs.p99 <= GOALS.visibleP99Ms && visible.timeouts === 0,
      },
    };
    const { samples: _samples, ...seedSummary } = seed;
    return { target: name, database, seed: seedSummary, list: { ...list, query: listPath(0) }, invite, visible, goals };
  } finally {
    await server.stop().catch(() => server.kill());
  }
}

/**
 * PATCHes a seeded customer's name to a unique one, then polls the list for that name until
 * the customer shows up. The clock runs from the PATCH answer (the write is committed) to the
 * first list answer that contains it. The list is asked without X-Log-Position, so this is
 * the projection's real lag, not the read-your-writes wait.
 */
async function measureVisibility(
  client: HttpClient,
  headers: Record<string, string>,
  customers: Array<{ id: string; name: string }>,
): Promise<TargetResult['visible']> {
  const latencies: number[] = [];
  let timeouts = 0;
  let polls = 0;
  let refusedInARow = 0;
  for (let i = 0, attempt = 0; i < params.visibleSamples; attempt++) {
    if (refusedInARow > customers.length) throw new Error('no seeded customer accepts a PATCH');
    const customer = customers[attempt % customers.length];
    const newName = `Renamed ${randomBytes(5).toString('hex')} ${customer.name.slice(0, 40)}`;
    const patched = await client.send({ method: 'PATCH', path: `/api/v1/customers/${customer.id}`, headers, body: { organizationName: newName } });
    if (patched.status !== 200) {
      // e.g. a revoked invitation may refuse edits: take the next customer.
      refusedInARow++;
      continue;
    }
    refusedInARow = 0;
    i++;
    const t0 = performance.now();
    const term = encodeURIComponent(newName.split(' ')[1]);
    let seen = false;
    while (performance.now() - t0 < 5_000) {
      polls++;
      const answer = await client.send({ method: 'GET', path: `/api/v1/customers?search=${term}&limit=5`, headers });
      if (answer.status === 200 && (JSON.parse(answer.body) as { items: Array<{ id: string }> }).items.some((c) => c.id === customer.id)) {
        seen = true;
        break;
      }
    }
    if (seen) latencies.push(performance.now() - t0);
    else timeouts++;
  }
  return { samples: latencies.length, timeouts, polls, latencyMs: summarize(latencies) };
}

async function main(): Promise<void> {
  const started = performance.now();
  const { DATABASE_URL, ...baseEnv } = process.env;
  const results: TargetResult[] = [];

  // BENCH_TARGETS=postgresql skips the (slow to seed) PGlite run while iterating.
  const targets = (process.env.BENCH_TARGETS ?? 'pglite,postgresql').split(',').map((t) => t.trim());
  if (targets.includes('pglite')) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-api-'));
    try {
      results.push(await runTarget('embedded system on PGlite (default)', 'pglite', { ...baseEnv, DATA_DIR: dataDir }));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  if (DATABASE_URL && targets.includes('postgresql')) {
    const db = await createBenchDatabase(DATABASE_URL, 'bench_api', log);
    const pgDataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-api-'));
    try {
      results.push(
        await runTarget('embedded system on PostgreSQL (DATABASE_URL)', 'postgresql', {
          ...baseEnv,
          DATA_DIR: pgDataDir,
          DATABASE_URL: db.url,
          DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
        }),
      );
    } finally {
      rmSync(pgDataDir, { recursive: true, force: true });
      await db.drop();
    }
  }

  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: 'api',
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
        params,
        goals: GOALS,
        targets: results,
        meetsAllGoals: results.every((r) => Object.values(r.goals).every((g) => g.meetsGoal)),
        totalSeconds: Math.round((performance.now() - started) / 1000),
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
