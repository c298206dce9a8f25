import type { Pool } from 'pg';
import type { ApiKeyDto } from '../../commands/create-api-key/create-api-key.request';

/** The partner's keys, newest first, without secrets (the read model holds none). */
export class ListApiKeysQuery {
  constructor(private readonly pool: Pool) {}

  async execute(partnerId: string): Promise<ApiKeyDto[]> {
    const { rows } = await this.pool.query<{ key_id: string; name: string; prefix: string; created_at: Date; revoked_at: Date | null }>(
      `SELECT key_id, name, prefix, created_at, revoked_at FROM reporting_api_keys
       WHERE partner_id = $1 ORDER BY created_at DESC, key_id DESC`,
      [partnerId],
    );
    return rows.map((r) => ({
      id: r.key_id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.created_at.toISOString(),
      revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
    }));
  }
}
