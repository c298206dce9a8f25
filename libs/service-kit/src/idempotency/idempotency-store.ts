import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { systemClock, type Clock } from '@platform/core';
import { migrate } from '@platform/event-store';
import { IDEMPOTENCY_MIGRATIONS } from './idempotency.migrations';

/** Whose key it is: a partner user, or (public routes) nobody in particular on one route. */
export interface IdempotencyScope {
  partnerId: string;
  userId: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type IdempotencyClaim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in-flight' }
  | { kind: 'key-reused' };

export interface IdempotencyStoreOptions {
  /** How long a key is remembered (24 h). */
  ttlMs?: number;
  /** An execution holding its key longer than this crashed: another request may take the key over. */
  abandonedAfterMs?: number;
  /** Expired rows are deleted at most this often, on the way of a claim. */
  purgeEveryMs?: number;
  clock?: Clock;
}

interface Row {
  fingerprint: string;
  state: 'in-flight' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: Buffer | null;
}

export const migrateIdempotency = (pool: Pool): Promise<string[]> => migrate(pool, 'idempotency', IDEMPOTENCY_MIGRATIONS);

/**
 * Idempotency keys in the service's database. A claim is one upsert (new key, or an expired or
 * abandoned one taken over); the first answer is stored with the key and replayed afterwards.
 */
export class IdempotencyStore {
  private readonly ttlMs: number;
  private readonly abandonedAfterMs: number;
  private readonly purgeEveryMs: number;
  private readonly clock: Clock;
  private lastPurge = 0;

  constructor(
    private readonly pool: Pool,
    options: IdempotencyStoreOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.abandonedAfterMs = options.abandonedAfterMs ?? 5 * 60_000;
    this.purgeEveryMs = options.purgeEveryMs ?? 10 * 60_000;
    this.clock = options.clock ?? systemClock;
  }

  async claim(scope: IdempotencyScope, fingerprint: string): Promise<IdempotencyClaim> {
    const now = this.clock.now();
    this.purgeSometimes(now);
    // A key released between our failed upsert and the read is simply claimed on the next round.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimId = randomUUID();
      const claimed = await this.pool.query(
        `INSERT INTO idempotency_keys (partner_id, user_id, key, fingerprint, claim_id, state, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'in-flight', $6, $7)
         ON CONFLICT (partner_id, user_id, key) DO UPDATE SET
           fingerprint = EXCLUDED.fingerprint, claim_id = EXCLUDED.claim_id, state = 'in-flight',
           response_status = NULL, response_headers = NULL, response_body = NULL,
           created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
         WHERE idempotency_keys.expires_at <= $6
            OR (idempotency_keys.state = 'in-flight' AND idempotency_keys.created_at <= $8)
         RETURNING claim_id`,
        [
          scope.partnerId,
          scope.userId,
          scope.key,
          fingerprint,
          claimId,
          now,
          new Date(now.getTime() + this.ttlMs),
          new Date(now.getTime() - this.abandonedAfterMs),
        ],
      );
      if (claimed.rowCount === 1) return { kind: 'claimed', claimId };

      const { rows } = await this.pool.query<Row>(
        `SELECT fingerprint, state, response_status, response_headers, response_body
           FROM idempotency_keys WHERE partner_id = $1 AND user_id = $2 AND key = $3`,
        [scope.partnerId, scope.userId, scope.key],
      );
      const row = rows[0];
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { kind: 'key-reused' };
      if (row.state === 'in-flight') return { kind: 'in-flight' };
      return {
        kind: 'replay',
        response: { status: row.response_status!, headers: row.response_headers ?? {}, body: row.response_body ?? Buffer.alloc(0) },
      };
    }
    return { kind: 'in-flight' };
  }

  /** Keeps the answer of a claimed execution for replays. */
  async complete(scope: IdempotencyScope, claimId: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys
          SET state = 'completed', response_status = $5, response_headers = $6, response_body = $7
        WHERE partner_id = $1 AND user_id = $2 AND key = $3 AND claim_id = $4`,
      [scope.partnerId, scope.userId, scope.key, claimId, response.status, JSON.stringify(response.headers), response.body],
    );
  }

  /** Forgets a claimed key whose execution failed, so a retry runs it again. */
  async release(scope: IdempotencyScope, claimId: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM idempotency_keys WHERE partner_id = $1 AND user_id = $2 AND key = $3 AND claim_id = $4 AND state = 'in-flight'`,
      [scope.partnerId, scope.userId, scope.key, claimId],
    );
  }

  /** Deletes expired keys; returns how many. */
  async purgeExpired(now: Date = this.clock.now()): Promise<number> {
    const result = await this.pool.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [now]);
    return result.rowCount ?? 0;
  }

  private purgeSometimes(now: Date): void {
    if (now.getTime() - this.lastPurge < this.purgeEveryMs) return;
    this.lastPurge = now.getTime();
    // Housekeeping only: a failure here must not fail the request, the next purge catches up.
    this.purgeExpired(now).catch(() => undefined);
  }
}
