/**
 * The load of bench:reporting, in its own process (forked by reporting.bench.ts), so the
 * service's event loop serves requests only, as it would for remote clients. One job per
 * process: the parent sends it, this answers with what it measured and exits.
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { httpRequest } from '../support/bench-infrastructure';

export type LoadJob =
  | { kind: 'ingest'; port: number; apiKey: string; senders: number; seconds: number; bodies: string[] }
  | { kind: 'read'; port: number; token: string; connections: number; reads: number; paths: string[] };

export type LoadResult =
  | { kind: 'ingest'; accepted: number; batches: number; failures: number; firstFailures: string[]; seconds: number; latenciesMs: number[] }
  | { kind: 'read'; errors: number; seconds: number; latenciesMs: number[] };

async function ingest(job: Extract<LoadJob, { kind: 'ingest' }>): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.senders });
  const result = { kind: 'ingest' as const, accepted: 0, batches: 0, failures: 0, firstFailures: [] as string[], seconds: 0, latenciesMs: [] as number[] };
  const start = performance.now();
  const deadline = start + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.senders }, async (_, s) => {
      let n = s;
      while (performance.now() < deadline) {
        // Pre-serialised records, a new batch id each time: the sender's own cost stays small.
        const body = `{"batchId":"${randomUUID()}","records":${job.bodies[n++ % job.bodies.length]}}`;
        const t0 = performance.now();
        const res = await httpRequest(agent, job.port, 'POST', '/api/v1/telemetry/backup-jobs', { 'x-api-key': job.apiKey }, body);
        result.latenciesMs.push(performance.now() - t0);
        if (res.status !== 200) {
          if (result.failures++ < 5) result.firstFailures.push(`${res.status}: ${res.body.slice(0, 300)}`);
          continue;
        }
        result.accepted += (JSON.parse(res.body) as { accepted: number }).accepted;
        result.batches++;
      }
    }),
  );
  result.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return result;
}

async function read(job: Extract<LoadJob, { kind: 'read' }>): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const result = { kind: 'read' as const, errors: 0, seconds: 0, latenciesMs: [] as number[] };
  let issued = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (issued < job.reads) {
        const urlPath = job.paths[(issued++ * 7919) % job.paths.length];
        const t0 = performance.now();
        const res = await httpRequest(agent, job.port, 'GET', urlPath, { authorization: `Bearer ${job.token}` });
        result.latenciesMs.push(performance.now() - t0);
        if (res.status !== 200) result.errors++;
      }
    }),
  );
  result.seconds = (performance.now() - start) / 1000;
  agent.destroy();
  return result;
}

process.once('message', (job: LoadJob) => {
  (job.kind === 'ingest' ? ingest(job) : read(job))
    .then((result) => process.send!(result, () => process.exit(0)))
    .catch((e: unknown) => {
      process.stderr.write(`[load-generator] ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
});
