import { randomBytes } from 'node:crypto';
import { Client, Pool, type PoolConfig } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@platform/embedded-postgres';

export type TestDatabaseKind = 'postgres' | 'pglite';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** URL of a fresh database made for this test file alone. */
  connectionString: string;
  pool(config?: Partial<PoolConfig>): Pool;
  /** Drops the database (real server) or stops PGlite. */
  close(): Promise<void>;
}

const LOCAL_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

let serverUrl: Promise<string | undefined> | undefined;

/** DATABASE_URL if set, else the local server if it answers, else nothing (PGlite is used). */
export function findPostgresServer(): Promise<string | undefined> {
  serverUrl ??= (async () => {
    if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
    if (process.env.TEST_PGLITE === '1') return undefined;
    return (await reachable(LOCAL_SERVER)) ? LOCAL_SERVER : undefined;
  })();
  return serverUrl;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A fresh, empty database for one test file: a new database on the real server when there is
 * one (so tests see real concurrency), otherwise an in-memory PGlite. `kind: 'pglite'` asks for
 * PGlite whatever is installed (for what only the embedded mode does).
 */
export async function createTestDatabase(options: { kind?: TestDatabaseKind } = {}): Promise<TestDatabase> {
  const pools: Pool[] = [];
  const makePool = (connectionString: string) => (config?: Partial<PoolConfig>) => {
    const p = new Pool({ connectionString, max: 10, ...config });
    p.on('error', () => undefined); // connections killed by a test must not crash the run
    pools.push(p);
    return p;
  };
  const server = options.kind === 'pglite' ? undefined : await findPostgresServer();
  if (server) {
    const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const connectionString = withDatabase(server, name);
    return {
      kind: 'postgres',
      connectionString,
      pool: makePool(connectionString),
      async close() {
        await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
        const c = new Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        await c.end();
      },
    };
  }
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres();
  return {
    kind: 'pglite',
    connectionString: embedded.connectionString,
    pool: makePool(embedded.connectionString),
    async close() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await embedded.stop();
    },
  };
}

/**
 * Suites that need a real server (concurrency) call this: outside CI they say they skip; with
 * CI=true a missing server fails the run instead of passing silently.
 */
export async function requireRealPostgres(suite: string): Promise<boolean> {
  if (await findPostgresServer()) return true;
  const msg = `${suite}: no PostgreSQL server (set DATABASE_URL or run one at 127.0.0.1:5432)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true does not allow skipping it`);
  console.warn(`SKIPPED ${msg}`);
  return false;
}
