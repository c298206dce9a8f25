import type { ClientBase } from 'pg';
import { systemClock, type Clock } from '@platform/core';
import type { DataKeyState, DataKeyStore } from './data-key-store.port';
import { SubjectShreddedError } from './errors';

export interface CachedDataKeyStoreOptions {
  /** Most subjects kept (least recently used go first). Default 10 000. */
  maxEntries?: number;
  /**
   * How long a key is served from memory. A shred in this process takes effect at once; a shred
   * made by another process is seen here at the latest after this long. Default 60 s.
   */
  ttlMs?: number;
  clock?: Clock;
}

type Entry = { state: DataKeyState; expiresAt: number };

/**
 * Bounded LRU cache in front of a DataKeyStore. Tombstones are cached without expiry (a shred
 * is forever), and shredding here marks the subject before the store is told, so a lookup that
 * was already in flight cannot put the old key back.
 */
export class CachedDataKeyStore implements DataKeyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly inner: DataKeyStore,
    options: CachedDataKeyStoreOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.entries.size;
  }

  async getOrCreate(subjectId: string): Promise<Buffer> {
    const cached = this.lookup(subjectId);
    if (cached?.status === 'active') return cached.key;
    if (cached?.status === 'shredded') throw new SubjectShreddedError(subjectId);
    try {
      const key = await this.inner.getOrCreate(subjectId);
      this.remember(subjectId, { status: 'active', key });
      return key;
    } catch (e) {
      if (e instanceof SubjectShreddedError) this.remember(subjectId, { status: 'shredded' });
      throw e;
    }
  }

  async getMany(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    const out = new Map<string, DataKeyState>();
    const missing: string[] = [];
    for (const id of new Set(subjectIds)) {
      const cached = this.lookup(id);
      if (cached) out.set(id, cached);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, state] of await this.inner.getMany(missing)) {
        this.remember(id, state);
        // A shred that landed while the lookup was in flight wins.
        out.set(id, this.lookup(id) ?? state);
      }
    }
    return out;
  }

  async shred(subjectId: string, tx?: ClientBase): Promise<void> {
    this.remember(subjectId, { status: 'shredded' });
    await this.inner.shred(subjectId, tx);
  }

  private lookup(subjectId: string): DataKeyState | undefined {
    const entry = this.entries.get(subjectId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(subjectId);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(subjectId);
    this.entries.set(subjectId, entry);
    return entry.state;
  }

  private remember(subjectId: string, state: DataKeyState): void {
    const current = this.entries.get(subjectId);
    if (current?.state.status === 'shredded' && state.status === 'active') return;
    this.entries.delete(subjectId);
    const expiresAt = state.status === 'shredded' ? Number.POSITIVE_INFINITY : this.clock.now().getTime() + this.ttlMs;
    this.entries.set(subjectId, { state, expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
