/**
 * Export benchmark (issue 6): the Cloud Backup job status report over all customers, with
 * details, as XLSX — BENCH_EXPORT_ROWS (default 100,000) job rows of BENCH_EXPORT_CUSTOMERS
 * (200) customers — timed end to end (keyset-paged queries → exceljs streaming writer → a
 * byte-counting sink) with the process RSS sampled every 10 ms. Goal: ≤ 10 s and < 300 MB.
 *
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/reporting/export.bench.ts
 *
 * Runs on a fresh test database (`createTestDatabase`: on DATABASE_URL's server, else 127.0.0.1:5432, else
 * PGlite), dropped at the end. Prints ONE JSON object on stdout; progress on stderr.
 * `bench:reporting` runs this file after its own steps and includes the JSON under "exports".
 */
import * as os from 'node:os';
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from '@platform/core';
import { CustomerDirectory } from '@platform/customer-directory';
import { createTestDatabase } from '@platform/testing';
import { migrateReportData } from '../../apps/reporting/src/exports/projections/report-data.projection';
import { ReportDocuments } from '../../apps/reporting/src/exports/queries/report-documents';
import { writeReport } from '../../apps/reporting/src/exports/infrastructure/report-writers';

const GOALS = { seconds: 10, peakRssMb: 300 };
const int = (name: string, fallback: number): number => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
};
const log = (m: string) => process.stderr.write(`[export-bench] ${m}\n`);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function runExportBench(): Promise<object> {
  const rows = int('BENCH_EXPORT_ROWS', 100_000);
  const customers = int('BENCH_EXPORT_CUSTOMERS', 200);
  const db = await createTestDatabase();
  const pool = db.pool({ max: 4 });
  try {
    await migrateReportData(pool);
    const directory = new CustomerDirectory(pool, { table: 'reporting_customer_directory' });
    await directory.migrate();
    const partnerId = uuidv7();
    const ids = Array.from({ length: customers }, () => uuidv7());
    log(`seeding ${customers} customers and ${rows} jobs`);
    await pool.query(
      `INSERT INTO reporting_customer_directory (customer_id, partner_id, organization_name, primary_domain, country_code, locale, status, tags, invited_at, updated_at)
       SELECT id, $1, 'Customer ' || n || ' S.p.A.', 'customer' || n || '.example.com', 'IT', 'it', 'active', '{}', now(), now()
         FROM unnest($2::text[]) WITH ORDINALITY AS c(id, n)`,
      [partnerId, ids],
    );
    await pool.query(
      `INSERT INTO reporting_report_job_runs (customer_id, job_id, partner_id, product, workload, started_at, ended_at, status, items, bytes)
       SELECT ($2::text[])[1 + (g % $3)], 'job-' || g, $1,
              (ARRAY['cloud-backup-m365','cloud-backup-google','cloud-backup-salesforce'])[1 + g % 3],
              (ARRAY['exchange','onedrive','sharepoint','teams'])[1 + g % 4],
              timestamptz '2026-01-01' + make_interval(mins => g), timestamptz '2026-01-01' + make_interval(mins => g + 17),
              (ARRAY['succeeded','succeeded','succeeded','partially-succeeded','failed','canceled'])[1 + g % 6],
              g % 5000, (g % 5000) * 4096
         FROM generate_series(1, $4) AS g`,
      [partnerId, ids, customers, rows],
    );
    await pool.query('ANALYZE reporting_report_job_runs');

    const documents = new ReportDocuments(pool, directory);
    let bytes = 0;
    const sink = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        setImmediate(done); // a consumer that takes its time, like a socket
      },
    });
    global.gc?.();
    const baselineRss = process.memoryUsage.rss();
    let peakRss = baselineRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
    log('exporting');
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const doc = await documents.jobStatusReport(partnerId, true, new Date());
    await writeReport(doc, 'xlsx', sink);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return {
      benchmark: 'reporting export: job status over all customers, XLSX with details',
      rows,
      customers,
      database: db.kind,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rows / seconds),
      /** CPU time of this process (user + system): what the export costs, whatever else loads the machine. */
      cpuSeconds: Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100,
      loadAverage1m: Math.round(os.loadavg()[0] * 10) / 10,
      cpus: os.cpus().length,
      fileMb: mb(bytes),
      baselineRssMb: mb(baselineRss),
      peakRssMb: mb(peakRss),
      goals: GOALS,
      meetsGoal: seconds <= GOALS.seconds && mb(peakRss) < GOALS.peakRssMb,
    };
  } finally {
    await pool.end();
    await db.close();
  }
}

if (require.main === module) {
  runExportBench()
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
