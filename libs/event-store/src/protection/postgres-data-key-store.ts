import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ClientBase, Pool } from 'pg';
import { migrate, type Migration } from '../postgres/migrations';
import type { DataKeyState, DataKeyStore } from './data-key-store.port';
import { SubjectShreddedError } from './errors';

export const dataKeyMigrations: Migration[] = [
  {
    id: '001_data_keys',
    sql: `CREATE TABLE data_keys (
      subject_id  text PRIMARY KEY,
      -- NULL once shredded; the row stays as a tombstone so the subject never gets a new key
      key         bytea,
      created_at  timestamptz NOT NULL DEFAULT now(),
      shredded_at timestamptz,
      CONSTRAINT data_keys_shredded_has_no_key CHECK ((key IS NULL) = (shredded_at IS NOT NULL))
    )`,
  },
];

export function migrateDataKeys(pool: Pool): Promise<string[]> {
  return migrate(pool, 'data-keys', dataKeyMigrations);
}

export interface PostgresDataKeyStoreOptions {
  /**
   * 32-byte key-encryption key (from a secret store / env). When set, data keys are stored
   * wrapped with it, so a copy of the database alone does not reveal personal data. Without
   * it keys are stored as they are (development, tests).
   */
  masterKey?: Buffer;
}

// Stored key formats: 0x00 ‖ key (32) or 0x01 ‖ iv (12) ‖ tag (16) ‖ wrapped key (32).
const RAW = 0x00;
const WRAPPED = 0x01;

export class PostgresDataKeyStore implements DataKeyStore {
  private readonly masterKey?: Buffer;

  constructor(
    private readonly pool: Pool,
    options: PostgresDataKeyStoreOptions = {},
  ) {
    if (options.masterKey && options.masterKey.length !== 32) throw new Error('masterKey must be 32 bytes');
    this.masterKey = options.masterKey;
  }

  async getOrCreate(subjectId: string): Promise<Buffer> {
    const key = randomBytes(32);
    // Two writers racing on a new subject both end up with whichever key was inserted first.
    await this.pool.query('INSERT INTO data_keys (subject_id, key) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING', [
      subjectId,
      this.seal(subjectId, key),
    ]);
    const state = (await this.getMany([subjectId])).get(subjectId);
    if (!state) throw new Error(`data key for ${subjectId} vanished`);
    if (state.status === 'shredded') throw new SubjectShreddedError(subjectId);
    return state.key;
  }

  async getMany(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    const out = new Map<string, DataKeyState>();
    if (subjectIds.length === 0) return out;
    const { rows } = await this.pool.query<{ subject_id: string; key: Buffer | null }>(
      'SELECT subject_id, key FROM data_keys WHERE subject_id = ANY($1::text[])',
      [[...new Set(subjectIds)]],
    );
    for (const row of rows) {
      out.set(row.subject_id, row.key ? { status: 'active', key: this.open(row.subject_id, row.key) } : { status: 'shredded' });
    }
    return out;
  }

  async shred(subjectId: string, tx?: ClientBase): Promise<void> {
    await (tx ?? this.pool).query(
      `INSERT INTO data_keys (subject_id, key, shredded_at) VALUES ($1, NULL, now())
       ON CONFLICT (subject_id) DO UPDATE SET key = NULL, shredded_at = COALESCE(data_keys.shredded_at, now())`,
      [subjectId],
    );
  }

  private seal(subjectId: string, key: Buffer): Buffer {
    if (!this.masterKey) return Buffer.concat([Buffer.from([RAW]), key]);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(Buffer.from(subjectId, 'utf8')); // a wrapped key only opens for its own subject
    const ct = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([Buffer.from([WRAPPED]), iv, cipher.getAuthTag(), ct]);
  }

  private open(subjectId: string, stored: Buffer): Buffer {
    if (stored[0] === RAW && stored.length === 33) return Buffer.from(stored.subarray(1));
    if (stored[0] === WRAPPED && stored.length === 61) {
      if (!this.masterKey) throw new Error(`data key of ${subjectId} is wrapped but no masterKey is configured`);
      const decipher = createDecipheriv('aes-256-gcm', this.masterKey, stored.subarray(1, 13), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(subjectId, 'utf8'));
      decipher.setAuthTag(stored.subarray(13, 29));
      return Buffer.concat([decipher.update(stored.subarray(29)), decipher.final()]);
    }
    throw new Error(`data key of ${subjectId} has an unknown format`);
  }
}
