import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on a pooled connection. A connection that broke under the work
 * is destroyed rather than returned to the pool, and its 'error' event (a server gone while the
 * transaction sat idle) is heard instead of crashing the process.
 */
export async function inTransaction<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => (broken = e);
  tx.on('error', onError);
  try {
    await tx.query('BEGIN');
    const result = await work(tx);
    await tx.query('COMMIT');
    return result;
  } catch (e) {
    await tx.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
    throw e;
  } finally {
    tx.removeListener('error', onError);
    tx.release(broken);
  }
}
