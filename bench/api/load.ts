import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A closed-loop HTTP load generator: `connections` workers, each with its own keep-alive socket,
 * send one request after another for `durationMs`. Latency is measured per request from send
 * to the last byte of the answer. Loopback only (the URL is the bench's own server).
 */

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** Answers by status code (anything unexpected shows up here). */
  statuses: Record<string, number>;
  /** Answers the `accept` check refused, plus socket errors. */
  errors: number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function summarize(latencies: number[]): LatencySummary {
  if (latencies.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return { p50: round2(at(0.5)), p90: round2(at(0.9)), p99: round2(at(0.99)), max: round2(sorted[sorted.length - 1]), mean: round2(mean) };
}

export class HttpClient {
  private readonly base: URL;

  constructor(
    url: string,
    private readonly agent: Agent = new Agent({ keepAlive: true, maxSockets: 1 }),
  ) {
    this.base = new URL(url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.base.hostname)) throw new Error('the bench only talks to loopback');
  }

  send(call: HttpCall): Promise<HttpAnswer> {
    const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method: call.method,
          path: call.path,
          agent: this.agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...call.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  /** The n-th request of the run (n counts across all connections). */
  next: (n: number) => HttpCall;
  accept: (answer: HttpAnswer) => boolean;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const clients = Array.from({ length: options.connections }, () => new HttpClient(options.url));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let n = 0;
  const began = performance.now();
  const end = began + options.durationMs;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const call = options.next(n++);
        const t0 = performance.now();
        try {
          const answer = await client.send(call);
          latencies.push(performance.now() - t0);
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          if (!options.accept(answer)) errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  clients.forEach((c) => c.close());
  return {
    requests: latencies.length,
    durationSeconds: round2(seconds),
    requestsPerSecond: Math.round(latencies.length / seconds),
    latencyMs: summarize(latencies),
    statuses,
    errors,
  };
}
