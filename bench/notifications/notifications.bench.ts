/**
 * `npm run bench:notifications`: invitation emails from CustomerInvited events to a real SMTP
 * server on loopback, through the whole pipeline — inbox consumer (one transaction per event,
 * 8 partitions in parallel as Kafka would), outbox, sender with pooled SMTP connections.
 *
 * Two runs on a fresh database each:
 * - burst: 10,000 events at once — delivered emails per second (time from the first event to
 *   the last SMTP acceptance);
 * - paced: 10,000 events at a steady 500 events/s — latency from each event to its SMTP
 *   acceptance (p50, p95, p99, max);
 * - drain: the sender alone — 10,000 emails already in the outbox, delivered per second.
 * Prints one JSON document.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { uuidv7 } from '@platform/core';
import { DeliveryWorld } from '../../apps/notifications/src/emails/testing/delivery-world';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 8);
const PACED_RATE = Number(process.env.BENCH_RATE ?? 500);

interface RunResult {
  events: number;
  emails: number;
  seconds: number;
  emailsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The SMTP server in a child process; resolves with its port once it listens. */
function startSink(acceptedAt: Map<string, number>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'smtp-sink.ts'), [], { execArgv: ['-r', 'ts-node/register/transpile-only'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: { port?: number; accepted?: Array<[string, number]> }) => {
      if (m.port) resolve({ child, port: m.port });
      for (const [to, at] of m.accepted ?? []) acceptedAt.set(to, at);
    });
  });
}

async function run(mode: 'burst' | 'paced' | 'drain'): Promise<RunResult> {
  const sentAt = new Map<string, number>();
  const acceptedAt = new Map<string, number>();
  const sink = await startSink(acceptedAt);
  const world = await DeliveryWorld.start({
    parse: false,
    smtpUrl: `smtp://127.0.0.1:${sink.port}?tls=off`,
    maxConnections: 16,
    // Production defaults but the backoff (nothing is refused here).
    sender: { batchSize: 200, maxInFlight: 64, pollMs: 2000 },
  });
  const sender = world.sender;
  try {
    if (mode !== 'drain') sender.start();
    const customers = Array.from({ length: EVENTS }, () => uuidv7());
    let started = Date.now();
    let next = 0;
    const interval = 1000 / PACED_RATE;
    await Promise.all(
      Array.from({ length: PARTITIONS }, async () => {
        for (;;) {
          const i = next++;
          if (i >= customers.length) return;
          if (mode === 'paced') {
            const due = started + i * interval;
            const wait = due - Date.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          }
          const id = customers[i];
          const envelope = world.invited(id, { contactEmail: `admin-${id}@bench.example` });
          sentAt.set(`admin-${id}@bench.example`, Date.now());
          const outcome = await world.deliver({ ...envelope, time: new Date().toISOString() });
          if (outcome !== 'handled') throw new Error(`event ${i} was ${outcome}`);
        }
      }),
    );
    if (mode === 'drain') {
      // Everything is queued: time the sender alone, from the outbox to SMTP acceptance.
      started = Date.now();
      for (const k of sentAt.keys()) sentAt.set(k, started);
      sender.start();
    }
    const deadline = Date.now() + 300_000;
    while (acceptedAt.size < EVENTS) {
      if (Date.now() > deadline) throw new Error(`only ${acceptedAt.size} of ${EVENTS} emails accepted`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = Math.max(...acceptedAt.values());
    const seconds = (last - started) / 1000;
    const latencies = [...acceptedAt.entries()].map(([to, at]) => at - sentAt.get(to)!).sort((a, b) => a - b);
    const { rows } = await world.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications_outbox WHERE status = 'sent'`);
    await sender.stop();
    const sent = (await world.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications_outbox WHERE status = 'sent'`)).rows[0].n;
    if (sent !== EVENTS) throw new Error(`expected ${EVENTS} emails marked sent, found ${sent} (${rows[0].n} before the sender stopped)`);
    return {
      events: EVENTS,
      emails: acceptedAt.size,
      seconds: Math.round(seconds * 100) / 100,
      emailsPerSecond: Math.round(EVENTS / seconds),
      latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
    };
  } finally {
    sink.child.disconnect();
    await world.stop();
  }
}

async function main(): Promise<void> {
  const burst = await run('burst');
  const paced = await run('paced');
  const drain = await run('drain');
  const result = {
    benchmark: 'notifications',
    pipeline: 'CustomerInvited → inbox (8 partitions) → outbox → sender (nodemailer pool, 16 connections, 64 in flight) → SMTP server on loopback in a child process',
    burst,
    paced: { ratePerSecond: PACED_RATE, ...paced },
    /** The sender alone: 10,000 emails already in the outbox, drained to SMTP. */
    drain: { emails: drain.emails, seconds: drain.seconds, emailsPerSecond: drain.emailsPerSecond },
    goals: {
      emailsPerSecond: { target: 500, measured: burst.emailsPerSecond, met: burst.emailsPerSecond >= 500 },
      p99Ms: { target: 500, measured: paced.latencyMs.p99, met: paced.latencyMs.p99 <= 500 },
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
