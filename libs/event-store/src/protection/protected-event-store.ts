import type { ClientBase } from 'pg';
import type { EventMetadata, NewEvent, RecordedEvent } from '../port/event';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  LogFilter,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
} from '../port/event-store.port';
import { UpcasterChain } from '../upcasting/upcaster-chain';
import type { DataKeyState, DataKeyStore } from './data-key-store.port';
import { DataKeyMissingError, PersonalDataTamperedError } from './errors';
import { decryptField, encryptField, isEncryptedValue } from './field-cipher';
import { fieldAt, findFields } from './field-path';
import type { PersonalDataPolicy } from './personal-data-policy';

/**
 * Metadata the protected store writes and reads. `encryptedFields` is stored (concrete paths of
 * the envelopes in `data`, so reading needs no policy); readers never see it. `personalDataErased`
 * is only ever added on read, when the subject's key was shredded.
 */
export const ENCRYPTED_FIELDS = 'encryptedFields';
export const PERSONAL_DATA_ERASED = 'personalDataErased';

export interface ProtectedEventStoreOptions {
  keys: DataKeyStore;
  policy: PersonalDataPolicy;
  upcasters?: UpcasterChain;
}

/**
 * Decorator around any EventStore adapter.
 * Append: rejects non-current schema versions of types that have upcasters, then encrypts each
 * personal field (per the policy) under the key of `metadata.customerId`.
 * Read: decrypts (a shredded key turns the field into `null` and sets
 * `metadata.personalDataErased: true`), then upcasts to the current schema version.
 * Events with no personal fields and no upcasters pass through untouched (same objects).
 */
export class ProtectedEventStore implements EventStore {
  private readonly keys: DataKeyStore;
  private readonly policy: PersonalDataPolicy;
  private readonly upcasters: UpcasterChain;

  constructor(
    private readonly inner: EventStore,
    options: ProtectedEventStoreOptions,
  ) {
    this.keys = options.keys;
    this.policy = options.policy;
    this.upcasters = options.upcasters ?? new UpcasterChain();
  }

  async append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const out: NewEvent[] = new Array<NewEvent>(events.length);
    const keys = new Map<string, Promise<Buffer>>(); // one lookup per subject per append
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      this.upcasters.assertWritable(event.type, event.schemaVersion);
      out[i] = await this.protect(event, keys);
    }
    return this.inner.append(streamId, out, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.reveal(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<ReadAllResult> {
    const page = await this.inner.readAll(options);
    return { ...page, events: await this.reveal(page.events) };
  }

  streamVersion(streamId: string): Promise<number> {
    return this.inner.streamVersion(streamId);
  }

  /**
   * Only for events that carry no personal data: encrypting would fetch or create a data key on
   * another connection while the caller's transaction is open (which deadlocks on PGlite).
   */
  get appendInTransaction(): EventStore['appendInTransaction'] {
    const inner = this.inner.appendInTransaction?.bind(this.inner);
    if (!inner) return undefined;
    return (tx, streamId, events, options) => {
      for (const event of events) {
        this.upcasters.assertWritable(event.type, event.schemaVersion);
        if (this.policy.pathsOf(event.type)) {
          throw new Error(`${event.type} carries personal data: append it with append(), not inside a transaction`);
        }
        if (ENCRYPTED_FIELDS in event.metadata || PERSONAL_DATA_ERASED in event.metadata) {
          throw new Error(`event ${event.id}: metadata.${ENCRYPTED_FIELDS} and .${PERSONAL_DATA_ERASED} are reserved`);
        }
      }
      return inner(tx, streamId, events, options);
    };
  }

  waitForAppend(after: bigint, timeoutMs: number, signal?: AbortSignal, filter?: LogFilter): Promise<void> {
    return this.inner.waitForAppend(after, timeoutMs, signal, filter);
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Crypto-shredding (F6): every personal field of the subject reads as `null` from now on. */
  shred(subjectId: string, tx?: ClientBase): Promise<void> {
    return this.keys.shred(subjectId, tx);
  }

  private async protect(event: NewEvent, keys: Map<string, Promise<Buffer>>): Promise<NewEvent> {
    if (ENCRYPTED_FIELDS in event.metadata || PERSONAL_DATA_ERASED in event.metadata) {
      // Reserved: a writer copying a read event's metadata must not forge or carry these.
      throw new Error(`event ${event.id}: metadata.${ENCRYPTED_FIELDS} and .${PERSONAL_DATA_ERASED} are reserved`);
    }
    const paths = this.policy.pathsOf(event.type);
    const subject = event.metadata.customerId;
    if (!paths || !subject) return event;
    if (!paths.some((p) => findFields(event.data, p.segments).length > 0)) return event;
    const data = structuredClone(event.data); // the caller's event stays as it was
    const slots = paths.flatMap((p) => findFields(data, p.segments));
    let key = keys.get(subject);
    if (!key) keys.set(subject, (key = this.keys.getOrCreate(subject)));
    const dataKey = await key;
    for (const slot of slots) slot.set(encryptField(dataKey, subject, event.id, slot.path, slot.value));
    return { ...event, data, metadata: { ...event.metadata, [ENCRYPTED_FIELDS]: slots.map((s) => s.path) } };
  }

  private async reveal(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    let subjects: Set<string> | undefined;
    for (const e of events) {
      const fields = encryptedFieldsOf(e.metadata);
      if (!fields) continue;
      subjects ??= new Set();
      for (const path of fields) {
        const v = fieldAt(e.data, path)?.value;
        if (isEncryptedValue(v)) subjects.add(v.kid);
      }
    }
    // One key lookup for the whole page.
    const keys = subjects ? await this.keys.getMany([...subjects]) : new Map<string, DataKeyState>();
    return events.map((e) => this.upcast(this.decrypt(e, keys)));
  }

  private decrypt(event: RecordedEvent, keys: Map<string, DataKeyState>): RecordedEvent {
    const fields = encryptedFieldsOf(event.metadata);
    if (!fields) return event;
    const data = structuredClone(event.data);
    const metadata: EventMetadata = { ...event.metadata };
    delete metadata[ENCRYPTED_FIELDS];
    let erased = false;
    for (const path of fields) {
      const slot = fieldAt(data, path);
      if (!slot || !isEncryptedValue(slot.value)) throw new PersonalDataTamperedError(event.id, path);
      const state = keys.get(slot.value.kid);
      if (!state) throw new DataKeyMissingError(slot.value.kid, event.id);
      if (state.status === 'shredded') {
        slot.set(null);
        erased = true;
        continue;
      }
      try {
        slot.set(decryptField(state.key, event.id, path, slot.value));
      } catch {
        throw new PersonalDataTamperedError(event.id, path);
      }
    }
    if (erased) metadata[PERSONAL_DATA_ERASED] = true;
    return { ...event, data, metadata };
  }

  private upcast(event: RecordedEvent): RecordedEvent {
    if (!this.upcasters.hasUpcasters(event.type)) return event;
    const { schemaVersion, data } = this.upcasters.upcast(event.type, event.schemaVersion, event.data, event.metadata);
    return schemaVersion === event.schemaVersion && data === event.data ? event : { ...event, schemaVersion, data };
  }
}

function encryptedFieldsOf(metadata: EventMetadata): string[] | undefined {
  const fields = metadata[ENCRYPTED_FIELDS];
  return Array.isArray(fields) && fields.length > 0 ? (fields as string[]) : undefined;
}
