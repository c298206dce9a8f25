import type { Pool, PoolClient } from 'pg';
import { migrate, type Migration } from '@platform/event-store';
import type { LogoContentType } from '../domain/customer.events';

export interface StoredLogo {
  contentType: LogoContentType;
  bytes: Buffer;
  sha256: string;
}

const migrations: Migration[] = [
  {
    id: '001_customer_logos',
    sql: `CREATE TABLE customer_logos (
      customer_id uuid NOT NULL,
      sha256 text NOT NULL,
      content_type text NOT NULL,
      bytes bytea NOT NULL,
      stored_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (customer_id, sha256)
    )`,
  },
];

/**
 * Logo images (F2) beside the log, which only records type, size and hash
 * (CustomerLogoChanged). Rows are keyed by content hash: the bytes are stored before the event
 * is appended and the logo served is the one the stream names, so a failed or concurrent append
 * never shows bytes the log does not know; other versions are pruned after the append.
 * Disconnecting (F6) deletes every row of the customer.
 */
export class CustomerLogoStore {
  constructor(private readonly pool: Pool) {}

  migrate(): Promise<string[]> {
    return migrate(this.pool, 'customers.logos', migrations);
  }

  async put(customerId: string, logo: StoredLogo): Promise<void> {
    await this.pool.query(
      `INSERT INTO customer_logos (customer_id, sha256, content_type, bytes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id, sha256) DO NOTHING`,
      [customerId, logo.sha256, logo.contentType, logo.bytes],
    );
  }

  async get(customerId: string, sha256: string): Promise<StoredLogo | undefined> {
    const { rows } = await this.pool.query<{ content_type: LogoContentType; bytes: Buffer; sha256: string }>(
      'SELECT content_type, bytes, sha256 FROM customer_logos WHERE customer_id = $1 AND sha256 = $2',
      [customerId, sha256],
    );
    const row = rows[0];
    return row ? { contentType: row.content_type, bytes: row.bytes, sha256: row.sha256 } : undefined;
  }

  /**
   * After the stream named `keep`: drops the versions stored before it (ones stored later
   * belong to uploads still deciding, and the loser of those prunes nothing it does not own).
   */
  async prune(customerId: string, keep: string): Promise<void> {
    await this.pool.query(
      `DELETE FROM customer_logos WHERE customer_id = $1 AND sha256 <> $2
         AND stored_at <= (SELECT stored_at FROM customer_logos WHERE customer_id = $1 AND sha256 = $2)`,
      [customerId, keep],
    );
  }

  async deleteAll(customerId: string, client: Pool | PoolClient = this.pool): Promise<void> {
    await client.query('DELETE FROM customer_logos WHERE customer_id = $1', [customerId]);
  }

  async count(customerId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM customer_logos WHERE customer_id = $1', [customerId]);
    return Number(rows[0].n);
  }
}
