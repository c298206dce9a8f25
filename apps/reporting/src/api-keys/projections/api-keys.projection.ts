import type { PoolClient } from 'pg';
import type { Projection, RecordedEvent } from '@platform/event-store';
import { API_KEY_CATEGORY, type ApiKeyEvent } from '../domain/api-key.events';

export const API_KEYS_PROJECTION = 'reporting.api-keys';

/** `reporting_api_keys`: one row per key, without any secret material (not even the hash). */
export class ApiKeysProjection implements Projection {
  readonly name = API_KEYS_PROJECTION;
  readonly filter = { categories: [API_KEY_CATEGORY] };

  async handle(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    for (const recorded of events) {
      const e = recorded as unknown as ApiKeyEvent & RecordedEvent;
      if (e.type === 'ApiKeyCreated') {
        await tx.query(
          `INSERT INTO reporting_api_keys (key_id, partner_id, name, prefix, created_at, created_by)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_id) DO NOTHING`,
          [e.data.keyId, e.data.partnerId, e.data.name, e.data.prefix, recorded.metadata.occurredAt, recorded.metadata.actor.id],
        );
      } else if (e.type === 'ApiKeyRevoked') {
        await tx.query('UPDATE reporting_api_keys SET revoked_at = $2 WHERE key_id = $1 AND revoked_at IS NULL', [
          e.data.keyId,
          recorded.metadata.occurredAt,
        ]);
      }
    }
  }

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE reporting_api_keys');
  }
}
