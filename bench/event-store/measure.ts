import { performance } from 'node:perf_hooks';

export interface RunResult {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/**
 * Runs `op` from `concurrency` workers until `totalOps` operations completed or `maxSeconds`
 * elapsed, whichever comes first. Every op gets a distinct index; a failing op fails the run
 * (a benchmark that silently drops errors measures the wrong thing).
 */
export async function runConcurrent(options: {
  concurrency: number;
  totalOps: number;
  maxSeconds: number;
  op: (index: number) => Promise<void>;
}): Promise<RunResult> {
  const { concurrency, totalOps, maxSeconds, op } = options;
  const latencies = new Float64Array(totalOps);
  let next = 0;
  let done = 0;
  const start = performance.now();
  const deadline = start + maxSeconds * 1000;
  const worker = async (): Promise<void> => {
    while (next < totalOps && performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      latencies[i] = performance.now() - t0;
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  const sorted = Array.from(latencies.subarray(0, next)).sort((a, b) => a - b);
  const pct = (p: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0, 2);
  return {
    ops: done,
    seconds: round(seconds, 3),
    opsPerSecond: round(done / seconds, 1),
    latencyMs: { p50: pct(0.5), p99: pct(0.99), max: round(sorted[sorted.length - 1] ?? 0, 2) },
  };
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
