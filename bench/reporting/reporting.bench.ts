/**
 * Reporting benchmark (issue 6): telemetry ingestion, dashboard projection catch-up, dashboard reads.
 *
 *   DATABASE_URL=postgres://127.0.0.1:5432/postgres npm run bench:reporting
 *
 * Runs in a fresh database created on DATABASE_URL's server (dropped at the end). Steps:
 *  1. seed: BENCH_CUSTOMERS customers (default 1,000) of one partner, each with BENCH_DAYS (365)
 *     days of daily telemetry (two backup products, backup storage, SharePoint storage, risk
 *     counts; weekly policy scans of 4 rules; a monthly unusual-activity finding and service
 *     incident), appended straight through the event store (one append per customer, the shape
 *     ingestion writes) before the service starts, then `ANALYZE events` (as after any bulk
 *     load); the customers reach the reporting directory
 *     through its inbox handler (CustomerInvited + InvitationAccepted envelopes), as in production;
 *  2. catch-up: the reporting service starts (its modules only, in-process transport) and the
 *     dashboard projection folds the whole log: events/s from start to caught up;
 *  3. ingest (once every projection, the relay included, has caught up with the seed):
 *     BENCH_SENDERS (8) concurrent senders POST batches of 1,000 backup-job records
 *     (10 customers × 100 records) to /api/v1/telemetry/backup-jobs with an API key, for
 *     BENCH_INGEST_SECONDS (20): records/s accepted (the projection runs meanwhile, as in production);
 *  4. dashboard: once every projection of the service caught up, BENCH_READ_CONNECTIONS (8) connections GET
 *     /api/v1/customers/{id}/dashboard for random seeded customers, BENCH_READS (4,000) requests:
 *     latency percentiles.
 * The senders and readers run in a child process (load-generator.ts): the service's event loop
 * serves requests only, as for remote clients, and the latencies are the clients' own.
 * If bench/reporting/export.bench.ts exists (the reports/exports benchmark), it runs afterwards
 * and its JSON is included under "exports". Prints ONE JSON object on stdout; progress on stderr.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { deterministicUuid, uuidv7 } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import { inTransaction, migrateEventStore, PostgresEventStore, type NewEvent, type ProjectionRegistry, type ProjectionRunner } from '@platform/event-store';
import { createServiceApp, loadConfig, MessageTransportModule, PROJECTION_REGISTRY, signJwt } from '@platform/service-kit';
import type { IntegrationEvent } from '@platform/contracts';
import { ReportingModule } from '../../apps/reporting/src/reporting.module';
import { DASHBOARD_PROJECTION } from '../../apps/reporting/src/dashboard/projections/dashboard.projection';
import { addDays } from '../../apps/reporting/src/dashboard/domain/storage-forecast';
import { telemetryEvent, telemetryStreamId } from '../../apps/reporting/src/telemetry/domain/telemetry.events';
import type { TelemetryKind, TelemetryRecordByKind } from '../../apps/reporting/src/telemetry/domain/telemetry-records';
import { createBenchDatabase, freePort, httpRequest, profiled, runInChild } from '../support/bench-infrastructure';
import type { LoadJob, LoadResult } from './load-generator';

const LOAD_GENERATOR = path.join(__dirname, 'load-generator.ts');

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

const params = {
  customers: int('BENCH_CUSTOMERS', 1_000),
  days: int('BENCH_DAYS', 365),
  senders: int('BENCH_SENDERS', 8),
  batchRecords: 1_000,
  customersPerBatch: int('BENCH_CUSTOMERS_PER_BATCH', 10),
  ingestSeconds: int('BENCH_INGEST_SECONDS', 20),
  readConnections: int('BENCH_READ_CONNECTIONS', 8),
  reads: int('BENCH_READS', 4_000),
};
const GOALS = { ingestRecordsPerSecond: 20_000, dashboardP99Ms: 30 };
const JWT_SECRET = 'bench-reporting-secret-0123456789abcdef';
const PARTNER = '0192e5f0-0000-7000-8000-00000000be01';
const log = (msg: string) => process.stderr.write(`[bench:reporting] ${msg}\n`);

interface Latencies {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function summarize(samples: number[]): Latencies {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(s[s.length - 1] ?? 0), mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)) };
}

const customerId = (i: number) => deterministicUuid('bench-reporting-customer', String(i));
const at = (date: string, hh: number, mm = 0) => `${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000Z`;

/** A year (BENCH_DAYS) of daily telemetry of one customer, as the events ingestion would have appended. */
function yearOfTelemetry(c: string, i: number, today: string): NewEvent[] {
  const events: NewEvent[] = [];
  const metadata = { partnerId: PARTNER, customerId: c, occurredAt: `${today}T00:00:00.000Z`, correlationId: uuidv7(), actor: { type: 'service' as const, id: 'bench' } };
  const push = <K extends TelemetryKind>(kind: K, record: TelemetryRecordByKind[K]) => {
    const e = telemetryEvent(kind, record);
    events.push({ id: deterministicUuid('bench-reporting-event', c, String(events.length)), type: e.type, schemaVersion: 1, data: e.data, metadata });
  };
  let rnd = (i * 7919) % 1000;
  const next = () => (rnd = (rnd * 9301 + 49297) % 233280) / 233280;
  for (let d = params.days - 1; d >= 0; d--) {
    const date = addDays(today, -d);
    for (const product of ['cloud-backup-m365', 'cloud-backup-google'] as const) {
      const roll = next();
      push('backup-jobs', {
        jobId: `${product}-${date}`, product, workload: product === 'cloud-backup-m365' ? 'exchange' : 'gmail', startedAt: at(date, 1), endedAt: at(date, 1, 40),
        status: roll < 0.93 ? 'succeeded' : roll < 0.97 ? 'partially-succeeded' : roll < 0.995 ? 'failed' : 'canceled', items: Math.round(1000 + next() * 9000), bytes: Math.round(1e8 + next() * 1e9),
      });
    }
    push('storage-usage', { product: 'cloud-backup-m365', sampledAt: at(date, 6), usedBytes: 1e11 + (params.days - d) * 2e9, quotaBytes: 5e12 });
    push('sharepoint-storage', { date, usedBytes: Math.round(4e11 + (params.days - d) * 1e9 + next() * 5e8), quotaBytes: 1e12 });
    push('risk-counts', { sampledAt: at(date, 7), highRiskItems: Math.round(40 + next() * 10), mediumRiskItems: 300, sensitiveItems: 1200, externalUsers: 50, externalLinks: Math.round(400 + next() * 40) });
    if (d % 7 === 0) {
      for (let r = 0; r < 4; r++) {
        const compliant = next() < 0.7;
        push('policy-scans', { ruleId: `rule-${r}`, ruleName: `Rule ${r}`, scannedAt: at(date, 8, r), compliant, violationsFixed: Math.round(next() * 5), violationsUnfixed: compliant ? 0 : 1 + Math.round(next() * 5) });
      }
    }
    if (d % 30 === 15) {
      push('unusual-activities', {
        findingId: `finding-${date}`, detectedAt: at(date, 3), workspaceType: 'onedrive', workspace: `user${d}@customer${i}.example.com`, activity: 'Many deletions',
        ransomwareSuspected: false, status: d > 30 ? 'resolved' : 'open', suspiciousFiles: Array.from({ length: 5 }, (_, k) => ({ path: `Documents/file-${k}.docx`, reason: 'Deleted' })),
      });
      push('service-health', { incidentId: `inc-${date}`, service: 'Exchange Online', title: 'Delays', severity: 'advisory', status: d > 30 ? 'resolved' : 'open', startedAt: at(date, 9), updatedAt: at(date, 10) });
    }
  }
  return events;
}

async function seedLog(url: string, today: string): Promise<{ events: number; seconds: number; head: bigint }> {
  const pool = new Pool({ connectionString: url, max: 4 });
  await migrateEventStore(pool);
  const store = new PostgresEventStore(pool);
  const started = performance.now();
  let next = 0;
  let events = 0;
  const worker = async () => {
    while (next < params.customers) {
      const i = next++;
      const batch = yearOfTelemetry(customerId(i), i, today);
      events += batch.length;
      await store.append(telemetryStreamId(customerId(i)), batch, { expectedVersion: 'no_stream' });
      if (i % 100 === 99) log(`seeded ${i + 1}/${params.customers} customers (${events} events)`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  // A bulk load leaves the planner's statistics behind (the catch-up read would scan and sort
  // the whole rest of the log per page); autovacuum would get there, the bench does not wait.
  await pool.query('ANALYZE events');
  const seconds = (performance.now() - started) / 1000;
  const head = await store.headPosition();
  await store.close();
  await pool.end();
  return { events, seconds, head };
}

function envelope(type: string, c: string, data: Record<string, unknown>): IntegrationEvent {
  return { id: uuidv7(), type, version: 1, source: '/msp-platform/customers', time: new Date().toISOString(), subject: c, partnerId: PARTNER, correlationId: uuidv7(), actor: { type: 'system', id: 'bench' }, data } as unknown as IntegrationEvent;
}

async function fillDirectory(app: INestApplication, url: string): Promise<void> {
  const directory = app.select(ReportingModule).get(CustomerDirectory, { strict: false });
  const pool = new Pool({ connectionString: url, max: 2 });
  for (let i = 0; i < params.customers; i++) {
    const c = customerId(i);
    await inTransaction(pool, async (tx) => {
      await directory.handler(envelope('CustomerInvited', c, {
        organizationName: `Bench Customer ${i}`, primaryDomain: `customer${i}.example.com`, countryCode: 'IT', accountType: 'microsoft365-global-admin', tags: [],
        invitation: { tokenId: uuidv7(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(), draftEmail: 'Hello' },
      }), tx, { attempt: 1 } as never);
      await directory.handler(envelope('InvitationAccepted', c, { registeredAccount: `admin@customer${i}.example.com`, accountType: 'microsoft365-global-admin' }), tx, { attempt: 1 } as never);
    });
  }
  await pool.end();
}

/** Seconds until the dashboard projection (or, with `all`, every projection of the service) has passed `target`. */
async function waitForDashboard(app: INestApplication, target: bigint, timeoutMs: number, all = false): Promise<number> {
  const registry = app.select(ReportingModule).get<ProjectionRegistry<ProjectionRunner>>(PROJECTION_REGISTRY, { strict: false });
  const started = performance.now();
  for (;;) {
    const statuses = registry.statuses().filter((s) => all || s.name === DASHBOARD_PROJECTION);
    const behind = statuses.filter((s) => s.position < target);
    if (statuses.length > 0 && behind.length === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs) throw new Error(`projections ${behind.map((s) => s.name).join(', ')} did not catch up within ${timeoutMs} ms (target ${target})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is required (a PostgreSQL server; the bench creates and drops its own database)');
  const db = await createBenchDatabase(serverUrl, 'bench_reporting', log);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-reporting-'));
  const today = new Date().toISOString().slice(0, 10);
  let app: INestApplication | undefined;
  try {
    log(`seeding ${params.customers} customers × ${params.days} days of telemetry`);
    const seed = await seedLog(db.url, today);
    log(`seeded ${seed.events} events in ${seed.seconds.toFixed(1)} s`);

    const started = performance.now();
    const config = loadConfig(
      { DATABASE_URL: db.url, DATA_DIR: dataDir, AUTH_JWT_SECRET: JWT_SECRET, LOG_LEVEL: 'warn', PORT: String(await freePort()), HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '100000000', RATE_LIMIT_BURST: '100000000', DATABASE_POOL_MAX: '10' },
      { mode: 'embedded' },
    );
    app = await createServiceApp({ config, infrastructure: [MessageTransportModule], modules: [ReportingModule] });
    await app.listen(config.port, '127.0.0.1');
    const port = (app.getHttpServer().address() as { port: number }).port;
    const catchUpSeconds = await waitForDashboard(app, seed.head, 3_600_000);
    const catchUpFromStart = (performance.now() - started) / 1000;
    log(`dashboard projection caught up with ${seed.events} events in ${catchUpSeconds.toFixed(1)} s`);
    // Ingestion is measured in steady state: the relay (which announces every seeded backup job
    // as BackupJobCompleted, a year of them at once here) and the other projections finish the
    // seeded history first, as they would have while that history arrived.
    const settleSeconds = await waitForDashboard(app, seed.head, 3_600_000, true);
    log(`every projection caught up with the seed ${settleSeconds.toFixed(1)} s later`);
    await fillDirectory(app, db.url);

    const agent = new Agent({ keepAlive: true, maxSockets: Math.max(params.senders, params.readConnections) });
    const token = signJwt({ sub: uuidv7(), pid: PARTNER, roles: ['global-admin'] }, JWT_SECRET, 3600);
    const created = await httpRequest(agent, port, 'POST', '/api/v1/api-keys', { authorization: `Bearer ${token}` }, JSON.stringify({ name: 'bench' }));
    if (created.status !== 201) throw new Error(`api key: ${created.status} ${created.body}`);
    const apiKey = (JSON.parse(created.body) as { key: string }).key;

    // Ingestion: pre-serialised record arrays (the sender's cost stays out of the measure), a new batch id each time.
    const perCustomer = params.batchRecords / params.customersPerBatch;
    const bodies = Array.from({ length: 16 }, (_, b) =>
      JSON.stringify(
        Array.from({ length: params.batchRecords }, (_, r) => {
          const c = customerId((b * params.customersPerBatch + Math.floor(r / perCustomer)) % params.customers);
          return { customerId: c, jobId: `ingest-${b}-${r}`, product: 'cloud-backup-m365', workload: 'onedrive', startedAt: at(today, 2), endedAt: at(today, 2, 30), status: r % 50 === 0 ? 'failed' : 'succeeded', items: 100 + r, bytes: 1_000_000 + r };
        }),
      ),
    );
    log(`ingesting for ${params.ingestSeconds} s with ${params.senders} senders (in a child process)`);
    const ingested = await profiled('reporting-ingest', () =>
      runInChild<LoadJob, Extract<LoadResult, { kind: 'ingest' }>>(LOAD_GENERATOR, { kind: 'ingest', port, apiKey, senders: params.senders, seconds: params.ingestSeconds, bodies }),
    );
    for (const f of ingested.firstFailures) log(`ingest answered ${f}`);
    const { accepted, batches, failures, seconds: ingestSeconds, latenciesMs: batchLatencies } = ingested;
    log(`ingested ${accepted} records in ${ingestSeconds.toFixed(1)} s`);

    const headPool = new Pool({ connectionString: db.url, max: 1 });
    const head = BigInt((await headPool.query<{ p: string }>(`SELECT coalesce(max(global_position), 0)::text AS p FROM events WHERE category = 'telemetry'`)).rows[0].p);
    await headPool.end();
    const liveCatchUp = await waitForDashboard(app, head, 600_000);
    log(`projection caught up with the ingested records ${liveCatchUp.toFixed(1)} s after the senders stopped`);
    // The reads are measured alone: the service's other projections (report data) finish first.
    await waitForDashboard(app, head, 600_000, true);

    log(`reading ${params.reads} dashboards with ${params.readConnections} connections (from a child process)`);
    const paths = Array.from({ length: params.customers }, (_, i) => `/api/v1/customers/${customerId(i)}/dashboard`);
    const reads = await profiled('reporting-dashboard', () =>
      runInChild<LoadJob, Extract<LoadResult, { kind: 'read' }>>(LOAD_GENERATOR, { kind: 'read', port, token, connections: params.readConnections, reads: params.reads, paths }),
    );
    const { errors: readErrors, seconds: readSeconds, latenciesMs: readLatencies } = reads;
    agent.destroy();

    const result: Record<string, unknown> = {
      bench: 'reporting',
      database: 'postgresql',
      machine: { cpus: os.cpus().length, loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10, note: 'the load average includes every other process on the machine' },
      params,
      seed: { customers: params.customers, days: params.days, events: seed.events, seconds: Math.round(seed.seconds * 10) / 10, method: 'event store appends, one per customer, before the service starts' },
      projectionCatchUp: {
        events: seed.events,
        seconds: Math.round(catchUpSeconds * 10) / 10,
        eventsPerSecond: Math.round(seed.events / catchUpSeconds),
        secondsIncludingServiceStart: Math.round(catchUpFromStart * 10) / 10,
      },
      ingestion: {
        recordsAccepted: accepted,
        batches,
        failedRequests: failures,
        seconds: Math.round(ingestSeconds * 10) / 10,
        recordsPerSecond: Math.round(accepted / ingestSeconds),
        batchLatencyMs: summarize(batchLatencies),
        projectionLagAfterSendersStoppedSeconds: Math.round(liveCatchUp * 10) / 10,
        goalRecordsPerSecond: GOALS.ingestRecordsPerSecond,
        meetsGoal: accepted / ingestSeconds >= GOALS.ingestRecordsPerSecond,
      },
      dashboard: {
        requests: readLatencies.length,
        errors: readErrors,
        requestsPerSecond: Math.round(readLatencies.length / readSeconds),
        latencyMs: summarize(readLatencies),
        goalP99Ms: GOALS.dashboardP99Ms,
        meetsGoal: summarize(readLatencies).p99 <= GOALS.dashboardP99Ms && readErrors === 0,
      },
    };
    await app.close();
    app = undefined;

    const exportBench = path.join(__dirname, 'export.bench.ts');
    if (existsSync(exportBench)) {
      log('running bench/reporting/export.bench.ts');
      const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', exportBench], {
        env: process.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      });
      const out = child.stdout.trim();
      const start = out.lastIndexOf('\n{');
      try {
        result.exports = JSON.parse(start >= 0 ? out.slice(start + 1) : out);
      } catch {
        result.exports = { exitCode: child.status, error: 'no JSON on stdout', stdoutTail: out.slice(-500) };
      }
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await app?.close().catch(() => undefined);
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
