/** What every benchmark needs around the system under test: a throw-away database, a free port, load from another process. */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request, type Agent } from 'node:http';
import { createServer } from 'node:net';
import { Client, type Pool } from 'pg';

/** A fresh database on the server at `serverUrl`, dropped (even with connections left) by `drop()`. */
export async function createBenchDatabase(
  serverUrl: string,
  prefix: string,
  log: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e: unknown) => log(`drop ${name}: ${String(e)}`));
      await c.end();
    },
  };
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `phase`; with BENCH_PROF=<dir> also writes a CPU profile of this process during it to
 * `<dir>/<name>.cpuprofile` (open in Chrome DevTools or speedscope).
 */
export async function profiled<T>(name: string, phase: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROF;
  if (!dir) return phase();
  const { Session } = await import('node:inspector');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await phase();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
  }
}

/** One HTTP request on `agent` to 127.0.0.1:`port`; the body comes back as text. */
export function httpRequest(
  agent: Agent,
  port: number,
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path: urlPath, agent, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Runs `job` in a child process (bench/…/`script`, through ts-node) and answers what it sends back. */
export function runInChild<TJob extends object, TResult>(script: string, job: TJob): Promise<TResult> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let answer: TResult | undefined;
    child.once('message', (m: TResult) => (answer = m));
    child.once('error', reject);
    child.once('exit', (code) => (answer !== undefined ? resolve(answer) : reject(new Error(`${script} exited with code ${code} and no answer`))));
    child.send(job);
  });
}

/** Messages each in-process consumer group has yet to take (empty with Kafka, or before any group exists). */
export async function consumerBacklog(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool
    .query<{ consumer_group: string; backlog: string }>(
      `SELECT o.consumer_group,
              sum(greatest(0, coalesce((SELECT m."offset" + 1 FROM inprocess_messages m WHERE m.topic = o.topic
                                        ORDER BY m."offset" DESC LIMIT 1), 0) - o.next_offset))::text AS backlog
       FROM inprocess_consumer_offsets o
       GROUP BY o.consumer_group`,
    )
    .catch(() => ({ rows: [] as Array<{ consumer_group: string; backlog: string }> }));
  return Object.fromEntries(rows.map((r) => [r.consumer_group, Number(r.backlog)]));
}

/** Until no in-process consumer group has messages left (up to `timeoutMs`), then `quietMs` more: a phase starts on a settled system. */
export async function waitForConsumers(pool: Pool, timeoutMs: number, quietMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && Object.values(await consumerBacklog(pool)).some((n) => n > 0)) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, quietMs));
}
