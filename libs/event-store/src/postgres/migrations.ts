import type { Pool } from 'pg';

export interface Migration {
  /** Stable, ordered id such as `001_events`; never renamed once released. */
  id: string;
  sql: string;
}

/**
 * Applies each module's migrations once, in order, in one transaction per migration.
 * An advisory lock keyed by the module name lets several processes start at once safely.
 */
export async function migrate(pool: Pool, module: string, migrations: Migration[]): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      module text NOT NULL, id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (module, id))`);
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${module}`]);
    try {
      const done = new Set(
        (await client.query<{ id: string }>('SELECT id FROM schema_migrations WHERE module = $1', [module])).rows.map(
          (r) => r.id,
        ),
      );
      for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
        if (done.has(m.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (module, id) VALUES ($1, $2)', [module, m.id]);
          await client.query('COMMIT');
          applied.push(m.id);
        } catch (e) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${module}/${m.id} failed: ${(e as Error).message}`);
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${module}`]);
    }
  } finally {
    client.release();
  }
  return applied;
}
