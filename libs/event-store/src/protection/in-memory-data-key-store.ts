import { randomBytes } from 'node:crypto';
import type { DataKeyState, DataKeyStore } from './data-key-store.port';
import { SubjectShreddedError } from './errors';

/** Keys in a Map: for unit tests and single-process runs without a database. */
export class InMemoryDataKeyStore implements DataKeyStore {
  private readonly keys = new Map<string, DataKeyState>();
  /** Round trips, so tests can check batching and caching. */
  lookups = 0;

  async getOrCreate(subjectId: string): Promise<Buffer> {
    this.lookups++;
    let state = this.keys.get(subjectId);
    if (!state) {
      state = { status: 'active', key: randomBytes(32) };
      this.keys.set(subjectId, state);
    }
    if (state.status === 'shredded') throw new SubjectShreddedError(subjectId);
    return state.key;
  }

  async getMany(subjectIds: readonly string[]): Promise<Map<string, DataKeyState>> {
    this.lookups++;
    const out = new Map<string, DataKeyState>();
    for (const id of subjectIds) {
      const state = this.keys.get(id);
      if (state) out.set(id, state);
    }
    return out;
  }

  async shred(subjectId: string): Promise<void> {
    const state = this.keys.get(subjectId);
    if (state?.status === 'active') state.key.fill(0);
    this.keys.set(subjectId, { status: 'shredded' });
  }
}
