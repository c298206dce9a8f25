import type { ClientBase, Pool } from 'pg';

/**
 * The trivial read model both projections maintain: events counted per type. Both sides run
 * the same SQL; each gets whatever batch its framework hands to the projection.
 */
export const TYPE_COUNTS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_type_counts (
  event_type text PRIMARY KEY,
  n bigint NOT NULL
)`;

export async function countTypes(client: ClientBase, types: readonly string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  await client.query(
    `INSERT INTO bench_type_counts (event_type, n)
     SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (event_type) DO UPDATE SET n = bench_type_counts.n + EXCLUDED.n`,
    [[...counts.keys()], [...counts.values()]],
  );
}

export async function readTypeCounts(pool: Pool): Promise<{ counted: number; perType: Record<string, number> }> {
  const { rows } = await pool.query<{ event_type: string; n: string }>(
    'SELECT event_type, n::text AS n FROM bench_type_counts ORDER BY event_type',
  );
  const perType: Record<string, number> = {};
  let counted = 0;
  for (const r of rows) {
    perType[r.event_type] = Number(r.n);
    counted += Number(r.n);
  }
  return { counted, perType };
}
