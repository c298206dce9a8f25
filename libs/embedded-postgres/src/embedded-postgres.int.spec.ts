import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

describe('embedded PostgreSQL', () => {
  let db: EmbeddedPostgres;
  let pool: Pool;

  beforeAll(async () => {
    db = await startEmbeddedPostgres();
    pool = new Pool({ connectionString: db.connectionString, max: 8 });
  });
  afterAll(async () => {
    await pool.end();
    await db.stop();
  });

  it('has trigram indexes for accent- and case-insensitive customer search (pg_trgm)', async () => {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    const { rows } = await pool.query<{ s: number }>("SELECT similarity('societe generale', 'societe') AS s");
    expect(rows[0].s).toBeGreaterThan(0.3);
  });

  it('keeps parameterised queries apart from other connections\' transactions', async () => {
    // A parameterised query is a Parse/Bind/Execute/Sync batch on the unnamed statement; if
    // another connection's transaction ran between its Parse and its Bind, the Bind would fail
    // ("portal does not exist") or run the other connection's statement.
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        if (i % 2 === 0) return pool.query<{ v: number }>('SELECT $1::int * 2 AS v', [i]).then((r) => r.rows[0].v === i * 2);
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const r = await c.query<{ v: string }>("SELECT $1::text || '-x' AS v", [`s${i}`]);
          await c.query('COMMIT');
          return r.rows[0].v === `s${i}-x`;
        } finally {
          c.release();
        }
      }),
    );
    expect(results.every(Boolean)).toBe(true);
  });

  it('lets every connection use a statement prepared by name on the shared session', async () => {
    // One PGlite session serves all connections: without the queue's help, the second client's
    // Parse of a name the first one prepared would fail with 42P05.
    const clients = [0, 1, 2, 3].map(() => new Client({ connectionString: db.connectionString }));
    try {
      for (const c of clients) await c.connect();
      for (let round = 0; round < 3; round++) {
        for (const [i, c] of clients.slice(0, 3).entries()) {
          const { rows } = await c.query<{ v: number }>({ name: 'times_ten', text: 'SELECT $1::int * 10 AS v', values: [i + round] });
          expect(rows[0].v).toBe((i + round) * 10);
        }
      }
      // Another statement under a taken name is still refused, as by PostgreSQL.
      await expect(clients[3].query({ name: 'times_ten', text: 'SELECT $1::int + 1 AS v', values: [1] })).rejects.toMatchObject({ code: '42P05' });
      expect((await clients[3].query<{ v: number }>('SELECT $1::int + 1 AS v', [1])).rows[0].v).toBe(2);
      // A failing batch (the Bind's value does not parse) leaves the connection and the statement usable.
      await expect(clients[1].query({ name: 'times_ten', text: 'SELECT $1::int * 10 AS v', values: ['x'] })).rejects.toMatchObject({ code: '22P02' });
      expect((await clients[1].query({ name: 'times_ten', text: 'SELECT $1::int * 10 AS v', values: [7] })).rows[0].v).toBe(70);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('serialises transactions of different connections', async () => {
    await pool.query('CREATE TABLE counter (n int NOT NULL)');
    await pool.query('INSERT INTO counter VALUES (0)');
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const { rows } = await c.query<{ n: number }>('SELECT n FROM counter');
          await c.query('UPDATE counter SET n = $1', [rows[0].n + 1]);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      }),
    );
    expect((await pool.query('SELECT n FROM counter')).rows[0].n).toBe(20);
  });

  it('rolls back what a disconnected client left open and serves the others', async () => {
    const quitter = new Client({ connectionString: db.connectionString });
    await quitter.connect();
    await quitter.query('BEGIN');
    await quitter.query('UPDATE counter SET n = 1000');
    await quitter.end();
    expect((await pool.query<{ n: number }>('SELECT n FROM counter')).rows[0].n).toBe(20);
  });

  it('serves one data directory to one server at a time', async () => {
    // Restarting on a directory with the data kept is covered by deploy/embedded/embedded.e2e.spec.ts.
    const dir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
    try {
      const first = await startEmbeddedPostgres({ dataDir: dir });
      try {
        await expect(startEmbeddedPostgres({ dataDir: dir })).rejects.toThrow(/is in use by process/);
      } finally {
        await first.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
