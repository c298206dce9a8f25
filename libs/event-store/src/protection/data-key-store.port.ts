import type { ClientBase } from 'pg';

/** What a key store knows about one subject. */
export type DataKeyState = { status: 'active'; key: Buffer } | { status: 'shredded' };

/**
 * Per-subject (customer id) AES-256 data keys for crypto-shredding. Shredding is permanent:
 * the subject keeps a tombstone, so it can never get a new key that could be mistaken for the
 * old one.
 */
export interface DataKeyStore {
  /** The subject's key, created on first use; throws SubjectShreddedError once shredded. */
  getOrCreate(subjectId: string): Promise<Buffer>;
  /** Known subjects only (unknown ones are absent from the map); one round trip for all. */
  getMany(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>>;
  /**
   * Destroys the key forever (idempotent; also tombstones a subject that never had one). With
   * `tx`, inside the caller's transaction: a projection erasing data must not wait on a second
   * connection while it holds one (on embedded PGlite that would deadlock).
   */
  shred(subjectId: string, tx?: ClientBase): Promise<void>;
}
