/**
 * Child process of the API benchmark: runs the embedded system (all services, one HTTP server)
 * so the load generator in the parent process does not share its event loop, and seeds it on
 * request. Talks to the parent over IPC only; logs go to stderr.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-kit';
import { CustomersModule } from '../../apps/customers/src/customers.module';
import { startEmbeddedSystem, type EmbeddedSystem } from '../../deploy/embedded/embedded-system';
import { consumerBacklog } from '../support/bench-infrastructure';
import { BulkSeeder, MAX_EVENTS_PER_TRANSACTION } from './bulk-seeder';
import { prng, seedCustomer } from './seed-data';

export type ServerCommand =
  | { id: number; cmd: 'seed'; partners: Array<{ partnerId: string; actorId: string; customers: number }>; batchCustomers: number }
  | { id: number; cmd: 'profile'; action: 'start' | 'stop'; file?: string }
  | { id: number; cmd: 'stop' };

export type ServerReply =
  | { id: 0; ok: true; result: { url: string } }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

export interface SeedResult {
  customers: number;
  events: number;
  seedMs: number;
  /** From the last committed seed batch until each customers projection has covered it. */
  catchUpMs: Record<string, number>;
  /** Projections still catching up when the load phases started (see BENCH_SETTLE_TIMEOUT_MS). */
  behindAtLoadStart: string[];
  /** Events each projection parked (must be 0: otherwise seeded events were unreadable). */
  parked: Record<string, number>;
  /** A few seeded customers per partner (id and name), for the load phases. */
  samples: Record<string, Array<{ id: string; name: string }>>;
}

/** The projection the list reads (apps/customers/src/customer-list). */
const CUSTOMER_LIST = 'customers.customer-list';
/** Publishes the customers' integration events to the other services. */
const RELAY = 'customers.integration-relay';

const log = (msg: string) => process.stderr.write(`[bench:api server] ${msg}\n`);

let system: EmbeddedSystem | undefined;
let profiler: Session | undefined;

/** CPU profile of one load phase only (BENCH_SERVER_PROF), written as a .cpuprofile file. */
async function profile(command: Extract<ServerCommand, { cmd: 'profile' }>): Promise<void> {
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) => profiler!.post(method, (e, r) => (e ? reject(e) : resolve(r))));
  if (command.action === 'start') {
    profiler = new Session();
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    return;
  }
  const { profile: result } = (await post('Profiler.stop')) as { profile: unknown };
  profiler!.disconnect();
  profiler = undefined;
  writeFileSync(command.file!, JSON.stringify(result));
}

async function seed(command: Extract<ServerCommand, { cmd: 'seed' }>): Promise<SeedResult> {
  const customers = system!.app.select(CustomersModule);
  const pool = customers.get<Pool>(PG_POOL, { strict: false });
  const seeder = new BulkSeeder(pool);
  const rnd = prng(20261121);
  const twoYears = 2 * 365 * 86_400_000;
  const start = Date.now() - twoYears;
  const samples: SeedResult['samples'] = {};
  let total = 0;
  let events = 0;
  let last = 0n;
  const began = performance.now();
  for (const partner of command.partners) {
    samples[partner.partnerId] = [];
    for (let from = 0; from < partner.customers; from += command.batchCustomers) {
      const batch = [];
      for (let i = from; i < Math.min(partner.customers, from + command.batchCustomers); i++) {
        const c = seedCustomer(partner.partnerId, partner.actorId, total + i, rnd, start, twoYears);
        if (i % 997 === 0) samples[partner.partnerId].push({ id: c.customerId, name: c.organizationName });
        batch.push({ streamId: `customer-${c.customerId}`, events: c.events });
      }
      const n = batch.reduce((s, b) => s + b.events.length, 0);
      if (n > MAX_EVENTS_PER_TRANSACTION) throw new Error('BENCH_SEED_BATCH is too large');
      last = await seeder.appendStreams(batch);
      events += n;
    }
    total += partner.customers;
    log(`seeded ${total} customers (${events} events)`);
  }
  const seeded = performance.now();
  // The customers service's projections (list, relay, …) read the log; each is caught up once
  // its checkpoint has passed the last seeded event. The customer list must catch up (the bench
  // measures it); the others get BENCH_SETTLE_TIMEOUT_MS more, and whichever is still behind
  // then is reported under `behindAtLoadStart` (it keeps working while the load runs).
  const catchUpMs: Record<string, number> = {};
  const listDeadline = performance.now() + Number(process.env.BENCH_CATCHUP_TIMEOUT_MS ?? 900_000);
  const settleMs = Number(process.env.BENCH_SETTLE_TIMEOUT_MS ?? 120_000);
  let listDoneAt: number | undefined;
  let lastReport = performance.now();
  let behindAtLoadStart: string[] = [];
  for (;;) {
    const { rows } = await pool.query<{ name: string; position: string }>(
      `SELECT name, position::text FROM projection_checkpoints WHERE name LIKE 'customers.%'`,
    );
    const now = performance.now();
    for (const row of rows) {
      if (catchUpMs[row.name] === undefined && BigInt(row.position) >= last) catchUpMs[row.name] = Math.round(now - seeded);
    }
    if (listDoneAt === undefined && catchUpMs[CUSTOMER_LIST] !== undefined) listDoneAt = now;
    // The other services' consumers of the in-process bus (embedded mode) read what the relay
    // published: they have settled once no group has messages left to take.
    const consumers = await consumerBacklog(pool);
    for (const [group, backlog] of Object.entries(consumers)) {
      const name = `consumer ${group}`;
      if (catchUpMs[name] === undefined && backlog === 0 && catchUpMs[RELAY] !== undefined) catchUpMs[name] = Math.round(now - seeded);
      rows.push({ name, position: catchUpMs[name] === undefined ? '-1' : last.toString() });
    }
    behindAtLoadStart = rows.filter((r) => catchUpMs[r.name] === undefined).map((r) => r.name);
    if (rows.length > 0 && behindAtLoadStart.length === 0) break;
    if (listDoneAt !== undefined && now - listDoneAt > settleMs) break;
    if (listDoneAt === undefined && now > listDeadline) {
      throw new Error(`the customer list did not catch up: ${JSON.stringify(rows)} (last seeded ${last})`);
    }
    if (now - lastReport > 10_000) {
      lastReport = now;
      log(`catching up: ${rows.map((r) => `${r.name} ${catchUpMs[r.name] !== undefined ? 'done' : 'behind'}`).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const { rows: parkedRows } = await pool.query<{ projection: string; n: number }>(
    `SELECT projection, count(*)::int AS n FROM parked_events GROUP BY projection`,
  );
  const parked = Object.fromEntries(parkedRows.map((r) => [r.projection, r.n]));
  // Fresh planner statistics after a bulk load, as autovacuum would give a real database soon after.
  await pool.query('ANALYZE');
  return { customers: total, events, seedMs: Math.round(seeded - began), catchUpMs, behindAtLoadStart, parked, samples };
}

async function main(): Promise<void> {
  system = await startEmbeddedSystem(process.env);
  process.on('message', (command: ServerCommand) => {
    void (async () => {
      try {
        if (command.cmd === 'seed') process.send!({ id: command.id, ok: true, result: await seed(command) });
        if (command.cmd === 'profile') process.send!({ id: command.id, ok: true, result: await profile(command) });
        if (command.cmd === 'stop') {
          await system?.stop();
          process.send!({ id: command.id, ok: true, result: null }, () => process.exit(0));
        }
      } catch (e) {
        process.send!({ id: command.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    })();
  });
  process.send!({ id: 0, ok: true, result: { url: system.url } });
}

process.on('disconnect', () => {
  // The parent is gone: do not linger holding the port and the database.
  void (system?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
});

main().catch((e: unknown) => {
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.send?.({ id: 0, ok: false, error: String(e) });
  process.exit(1);
});
