import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import request from 'supertest';
import { uuidv7 } from '@platform/core';
import { signJwt, type PartnerRole } from '@platform/service-kit';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { startEmbeddedSystem, type EmbeddedSystem } from '../embedded-system';

/** The HS256 secret the system under test is started with (≥ 32 characters, as config demands). */
export const TEST_JWT_SECRET = 'embedded-e2e-secret-0123456789abcdef';

export const ROLES: readonly PartnerRole[] = ['global-admin', 'admin-agent', 'auditor'];

/** One partner user per role, each with a ready bearer token. */
export interface TestPartner {
  partnerId: string;
  users: Record<PartnerRole, { userId: string; token: string }>;
}

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

export function tokenFor(partnerId: string, userId: string, roles: PartnerRole[], secret = TEST_JWT_SECRET): string {
  return signJwt({ sub: userId, pid: partnerId, roles }, secret, 3600);
}

export function makePartner(partnerId: string = uuidv7()): TestPartner {
  const users = {} as TestPartner['users'];
  for (const role of ROLES) {
    const userId = uuidv7();
    users[role] = { userId, token: tokenFor(partnerId, userId, [role]) };
  }
  return { partnerId, users };
}

export interface TestSystem {
  system: EmbeddedSystem;
  database: TestDatabase;
  /** A pool on the system's database, for assertions on the log (never for setting up state). */
  pool: Pool;
  url: string;
  /** supertest bound to the running server (real HTTP over loopback). */
  http: () => ReturnType<typeof request>;
  partnerA: TestPartner;
  partnerB: TestPartner;
  /** Number of events in the whole log. */
  eventCount(): Promise<number>;
  /**
   * Highest position in the log, for `X-Min-Position` (read-your-writes): a read that passes it
   * sees every write this test made before.
   */
  headPosition(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Boots the embedded system (gateway + every service, in process) on a fresh database of its
 * own, on a random loopback port, with a known JWT secret and a rate limit high enough that
 * suites firing hundreds of requests never meet it.
 */
export async function startTestSystem(extraEnv: Record<string, string> = {}): Promise<TestSystem> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'embedded-e2e-'));
  let system: EmbeddedSystem;
  try {
    system = await startEmbeddedSystem({
      DATABASE_URL: database.connectionString,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_BURST: '1000000',
      ...extraEnv,
    });
  } catch (e) {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const pool = database.pool({ max: 2 });
  const url = system.url;
  return {
    system,
    database,
    pool,
    url,
    http: () => request(url),
    partnerA: makePartner(),
    partnerB: makePartner(),
    async eventCount() {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      return rows[0].n;
    },
    async headPosition() {
      const { rows } = await pool.query<{ p: string }>('SELECT coalesce(max(global_position), 0)::text AS p FROM events');
      return rows[0].p;
    },
    async stop() {
      try {
        await system.stop();
      } finally {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
