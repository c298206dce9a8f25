/**
 * Subscriptions benchmark (issue 4): F13 batch edits end to end, and how fast the subscriptions
 * service learns that a customer took its tenant back (F3 → F12 refusal).
 *
 *   npm run bench:subscriptions     (DATABASE_URL adds PostgreSQL runs; BENCH_* env vars override sizes)
 *
 * Targets, each the whole embedded system (every service, one HTTP server) in this process:
 *   - embedded-pglite: PGlite in a temporary DATA_DIR, in-process message bus (always);
 *   - postgresql: a fresh database on DATABASE_URL's server, in-process bus (when DATABASE_URL is set);
 *   - postgresql-kafka: the same over Kafka (libs/testing's mock cluster, or KAFKA_BROKERS) when
 *     DATABASE_URL is set and a broker is available.
 * Phases per target:
 *   1. batch: BENCH_BATCH_CUSTOMERS (20) active customers with a pooled Cloud Backup for Microsoft 365
 *      subscription; BENCH_BATCHES (50) batches one after the other (after BENCH_BATCH_WARMUP), each
 *      changing the quantity of all of them. Timed from sending the POST to the `completed` event of
 *      the batch's Server-Sent Events stream (opened right after the 202), as a progress bar sees it.
 *   2. lag: BENCH_LAG_SAMPLES (50; over Kafka BENCH_KAFKA_LAG_SAMPLES, 10) active customers are
 *      set up and the system settles (no in-process consumer group has messages left, then 1 s).
 *      Then, one after the other, each is switched to customer management mode (PUT
 *      …/management-mode, which appends ManagementModeChanged); from that answer, the client calls
 *      POST …/services:start back to back until the subscriptions service refuses it with
 *      CUSTOMER.CUSTOMER_MANAGED.
 * Prints ONE JSON object on stdout; progress goes to stderr.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import pino from 'pino';
import { Topics } from '@platform/contracts';
import { uuidv7 } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import { signJwt } from '@platform/service-kit';
import { requireKafka, startKafkaTestBroker, type KafkaTestBroker } from '@platform/testing';
import { startEmbeddedSystem, type EmbeddedSystem } from '../../deploy/embedded/embedded-system';
import { freePort } from '../../deploy/embedded/testing/embedded-test-system';
import { createBenchDatabase, waitForConsumers } from '../support/bench-infrastructure';

const JWT_SECRET = 'bench-subscriptions-secret-0123456789abcdef';
const SERVICE = 'cloud-backup-m365';
const GOALS = { batchP99Ms: 1_000, lagP99MsKafka: 250, lagP99MsEmbedded: 50 };

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

const params = {
  batchCustomers: int('BENCH_BATCH_CUSTOMERS', 20),
  batches: int('BENCH_BATCHES', 50),
  batchWarmup: int('BENCH_BATCH_WARMUP', 3),
  lagSamples: int('BENCH_LAG_SAMPLES', 50),
  kafkaLagSamples: int('BENCH_KAFKA_LAG_SAMPLES', 10),
};

const log = (msg: string) => process.stderr.write(`[bench:subscriptions] ${msg}\n`);

function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]);
  const round = (v: number) => Math.round(v * 10) / 10;
  return { count: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? NaN) };
}

class Api {
  private readonly auth: Record<string, string>;
  constructor(
    readonly url: string,
    readonly partnerId: string,
  ) {
    this.auth = { authorization: `Bearer ${signJwt({ sub: uuidv7(), pid: partnerId, roles: ['global-admin'] }, JWT_SECRET, 7200)}` };
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...this.auth, 'content-type': 'application/json', ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async expect(status: number, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await this.call(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Reads the batch's SSE stream until its `completed` event; returns that event's data. */
  async waitCompleted(batchId: string): Promise<{ progress: { succeeded: number; total: number } }> {
    const res = await fetch(`${this.url}/api/v1/service-batches/${batchId}/events`, { headers: this.auth });
    if (res.status !== 200 || !res.body) throw new Error(`events answered ${res.status}`);
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      const at = text.indexOf('event: completed\ndata: ');
      if (at >= 0) {
        const end = text.indexOf('\n\n', at);
        if (end >= 0) return JSON.parse(text.slice(at + 'event: completed\ndata: '.length, end)) as never;
      }
    }
    throw new Error(`the event stream of ${batchId} ended before completion`);
  }
}

let counter = 0;

async function activeCustomer(api: Api, directory: CustomerDirectory): Promise<string> {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  const invited = await api.expect(201, 'POST', '/api/v1/customers', {
    organizationName: `Bench ${n} Ltd`,
    primaryDomain: `bench-${n}.example.com`,
    countryCode: 'GB',
    accountType: 'microsoft365-global-admin',
    contactEmail: `it@bench-${n}.example.com`,
  });
  const id = invited.id as string;
  const link = (invited.invitation as { link: string }).link;
  const accepted = await fetch(`${new URL(api.url).origin}${new URL(link).pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ registeredAccount: 'admin@bench.example.com' }),
  });
  if (accepted.status !== 200) throw new Error(`accept answered ${accepted.status}`);
  await directory.waitFor(id, (c) => c?.status === 'active', 30_000);
  return id;
}

/** Customers are set up 10 at a time (over Kafka each waits for the directory to learn of it). */
async function activeCustomers(api: Api, directory: CustomerDirectory, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    ids.push(...(await Promise.all(Array.from({ length: Math.min(10, count - ids.length) }, () => activeCustomer(api, directory)))));
  }
  return ids;
}

async function benchBatches(api: Api, directory: CustomerDirectory) {
  log(`batch: ${params.batchCustomers} customers with a pooled ${SERVICE} subscription`);
  const customerIds: string[] = [];
  for (const id of await activeCustomers(api, directory, params.batchCustomers)) {
    const added = await api.call('POST', `/api/v1/customers/${id}/services`, {
      services: [{ serviceCode: SERVICE, plan: 'paid', quantity: 100, termEndsAt: '2030-01-01T00:00:00Z', pooled: true }],
    });
    if (added.status !== 201) throw new Error(`add services answered ${added.status}`);
    customerIds.push(id);
  }
  // The services' read side must list the subscriptions before a batch can find them.
  for (const id of customerIds) {
    for (let i = 0; ; i++) {
      const listed = await api.expect(200, 'GET', `/api/v1/customers/${id}/services`);
      if ((listed.items as unknown[]).length > 0) break;
      if (i > 2_000) throw new Error(`services of ${id} never listed`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const accepted: number[] = [];
  const completed: number[] = [];
  let notSucceeded = 0;
  for (let i = 0; i < params.batchWarmup + params.batches; i++) {
    const started = performance.now();
    const body = await api.expect(202, 'POST', '/api/v1/service-batches', { serviceCode: SERVICE, changes: { quantity: 200 + i }, customerIds });
    const answered = performance.now();
    const done = await api.waitCompleted(body.id as string);
    const finished = performance.now();
    if (i < params.batchWarmup) continue;
    accepted.push(answered - started);
    completed.push(finished - started);
    notSucceeded += done.progress.total - done.progress.succeeded;
  }
  const completedMs = summarize(completed);
  log(`batch: p50 ${completedMs.p50} ms, p99 ${completedMs.p99} ms`);
  return {
    customersPerBatch: customerIds.length,
    batches: completed.length,
    acceptedMs: summarize(accepted),
    completedMs,
    customersNotSucceeded: notSucceeded,
    meetsGoal: completedMs.p99 <= GOALS.batchP99Ms && notSucceeded === 0,
  };
}

async function benchLag(api: Api, directory: CustomerDirectory, pool: Pool, goalMs: number, samples: number) {
  log(`lag: ${samples} samples`);
  const lags: number[] = [];
  let calls = 0;
  const customers = await activeCustomers(api, directory, samples);
  // Measured on a settled system: setting up the customers (invitations, emails…) is not part of the lag.
  await waitForConsumers(pool, 60_000);
  for (const id of customers) {
    const before = await api.call('POST', `/api/v1/customers/${id}/services:start`, { serviceCodes: [SERVICE] });
    if ((before.body.code as string | undefined) === 'CUSTOMER.CUSTOMER_MANAGED') throw new Error('refused before the mode changed');
    await api.expect(200, 'PUT', `/api/v1/customers/${id}/management-mode`, { mode: 'customer' });
    const appended = performance.now();
    for (;;) {
      calls++;
      const res = await api.call('POST', `/api/v1/customers/${id}/services:start`, { serviceCodes: [SERVICE] });
      if (res.body.code === 'CUSTOMER.CUSTOMER_MANAGED') break;
      if (performance.now() - appended > 30_000) throw new Error(`start for ${id} was never refused`);
    }
    lags.push(performance.now() - appended);
  }
  const lagMs = summarize(lags);
  log(`lag: p50 ${lagMs.p50} ms, p99 ${lagMs.p99} ms`);
  return { samples: lags.length, lagMs, startCallsPerSample: Math.round((calls / Math.max(1, lags.length)) * 10) / 10, goalP99Ms: goalMs, meetsGoal: lagMs.p99 <= goalMs };
}

interface Target {
  name: string;
  database: 'pglite' | 'postgresql';
  transport: 'in-process' | 'kafka';
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

async function runTarget(target: Target) {
  log(`target ${target.name}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-subscriptions-'));
  let system: EmbeddedSystem | undefined;
  let pool: Pool | undefined;
  try {
    system = await startEmbeddedSystem(
    {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      AUTH_JWT_SECRET: JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_BURST: '100000000',
      ...target.env,
    },
    // The system's logs go to stderr: stdout carries only the JSON.
    { logDestination: pino.destination(2) });
    pool = new Pool({ connectionString: system.config.databaseUrl, max: 2 });
    const directory = new CustomerDirectory(pool, { table: 'subscriptions_customer_directory' });
    const api = new Api(system.url, uuidv7());
    const batch = await benchBatches(api, directory);
    const kafka = target.transport === 'kafka';
    const lag = await benchLag(api, directory, pool, kafka ? GOALS.lagP99MsKafka : GOALS.lagP99MsEmbedded, kafka ? params.kafkaLagSamples : params.lagSamples);
    return { target: target.name, database: target.database, transport: target.transport, batch, lag };
  } finally {
    await pool?.end().catch(() => undefined);
    await system?.stop().catch((e: unknown) => log(`stop: ${String(e)}`));
    rmSync(dataDir, { recursive: true, force: true });
    await target.cleanup();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  // The machine is shared: the load says how much of it this run had.
  const loadAverageAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const results: unknown[] = [];
  const notRun: Array<{ target: string; reason: string }> = [];

  // BENCH_TARGETS (pglite,postgresql,kafka) narrows the run while iterating.
  const targets = (process.env.BENCH_TARGETS ?? 'pglite,postgresql,kafka').split(',').map((t) => t.trim());
  if (targets.includes('pglite')) {
    results.push(await runTarget({ name: 'embedded-pglite', database: 'pglite', transport: 'in-process', env: {}, cleanup: async () => undefined }));
  } else notRun.push({ target: 'embedded-pglite', reason: 'not in BENCH_TARGETS' });

  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    notRun.push({ target: 'postgresql', reason: 'DATABASE_URL is not set' });
    notRun.push({ target: 'postgresql-kafka', reason: 'DATABASE_URL is not set' });
  } else {
    if (targets.includes('postgresql')) {
      const db = await createBenchDatabase(serverUrl, 'bench_subs', log);
      results.push(
        await runTarget({ name: 'postgresql', database: 'postgresql', transport: 'in-process', env: { DATABASE_URL: db.url, DATABASE_POOL_MAX: '5' }, cleanup: () => db.drop() }),
      );
    } else notRun.push({ target: 'postgresql', reason: 'not in BENCH_TARGETS' });
    if (!targets.includes('kafka')) {
      notRun.push({ target: 'postgresql-kafka', reason: 'not in BENCH_TARGETS' });
    } else if (!requireKafka('bench:subscriptions', { env: { ...process.env, CI: undefined } })) {
      notRun.push({ target: 'postgresql-kafka', reason: 'no Kafka: set KAFKA_BROKERS or install librdkafka-dev for the mock cluster' });
    } else {
      let broker: KafkaTestBroker | undefined;
      try {
        broker = await startKafkaTestBroker({ brokerCount: 1 });
        // The mock cluster answers no CreateTopics: the topics every service produces to are made here.
        for (const topic of Object.values(Topics)) await broker.createTopic(topic, 3, 1);
        const kafkaDb = await createBenchDatabase(serverUrl, 'bench_subs', log);
        const brokers = broker.brokers.join(',');
        results.push(
          await runTarget({
            name: `postgresql-kafka-${broker.kind}`,
            database: 'postgresql',
            transport: 'kafka',
            env: { DATABASE_URL: kafkaDb.url, DATABASE_POOL_MAX: '5', KAFKA_BROKERS: brokers },
            cleanup: () => kafkaDb.drop(),
          }),
        );
      } catch (e) {
        notRun.push({ target: 'postgresql-kafka', reason: `failed: ${String(e)}` });
      } finally {
        await broker?.stop();
      }
    }
  }

  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'subscriptions',
        startedAt,
        node: process.version,
        cpus: cpus().length,
        loadAverageAtStart,
        loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
        params,
        goals: GOALS,
        note: 'Client and system share this process (sequential load: one batch or one lag probe at a time); latencies are client-side over loopback.',
        targets: results,
        notRun,
      },
      null,
      2,
    )}\n`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
