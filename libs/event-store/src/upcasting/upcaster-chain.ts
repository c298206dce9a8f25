import { CodedError } from '@platform/core';
import type { EventMetadata } from '../port/event';

/** Turns `data` of one event type from schema version `fromVersion` into `fromVersion + 1`. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  toVersion: number;
  /**
   * Pure function of the stored data. Personal fields may be `null` here when the subject was
   * erased (`metadata.personalDataErased`): upcasters must carry nulls through.
   */
  upcast(data: Record<string, unknown>, metadata: EventMetadata): Record<string, unknown>;
}

/** Appends must write the current schema version of a type that has upcasters. */
export class SchemaVersionNotCurrentError extends CodedError {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      'EVENT_STORE.SCHEMA_VERSION_NOT_CURRENT',
      `${eventType} v${schemaVersion} cannot be appended: the current version is v${currentVersion}`,
      { eventType, schemaVersion, currentVersion },
    );
  }
}

/** A stored event has a version this code has no way to read (written by newer code, or < 1). */
export class UnknownSchemaVersionError extends CodedError {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      'EVENT_STORE.UNKNOWN_SCHEMA_VERSION',
      `${eventType} v${schemaVersion} cannot be read: this code knows v1..v${currentVersion}`,
      { eventType, schemaVersion, currentVersion },
    );
  }
}

/**
 * All upcasters of a service, checked when built: per type, steps are +1 each and cover every
 * version from 1 to the current one without a gap or a duplicate. The current version of a
 * type is its highest `toVersion`; a type without upcasters is at whatever version it is written.
 */
export class UpcasterChain {
  private readonly steps = new Map<string, Upcaster[]>();

  constructor(upcasters: readonly Upcaster[] = []) {
    const byType = new Map<string, Upcaster[]>();
    for (const u of upcasters) {
      if (!Number.isInteger(u.fromVersion) || u.fromVersion < 1) {
        throw new Error(`upcaster ${u.type}: fromVersion must be an integer >= 1, got ${u.fromVersion}`);
      }
      if (u.toVersion !== u.fromVersion + 1) {
        throw new Error(`upcaster ${u.type} v${u.fromVersion}: toVersion must be ${u.fromVersion + 1}, got ${u.toVersion}`);
      }
      const list = byType.get(u.type) ?? [];
      list.push(u);
      byType.set(u.type, list);
    }
    for (const [type, list] of byType) {
      list.sort((a, b) => a.fromVersion - b.fromVersion);
      list.forEach((u, i) => {
        if (u.fromVersion !== i + 1) {
          const expected = i + 1;
          throw new Error(
            u.fromVersion < expected
              ? `upcaster ${type}: two upcasters from v${u.fromVersion}`
              : `upcaster ${type}: gap, nothing upcasts v${expected} to v${expected + 1}`,
          );
        }
      });
      // steps[i] upcasts from v(i+1)
      this.steps.set(type, list);
    }
  }

  /** A new, re-validated chain with more upcasters. */
  with(upcasters: readonly Upcaster[]): UpcasterChain {
    return new UpcasterChain([...[...this.steps.values()].flat(), ...upcasters]);
  }

  /** Undefined for types without upcasters (any version is accepted as is). */
  currentVersion(type: string): number | undefined {
    const list = this.steps.get(type);
    return list ? list.length + 1 : undefined;
  }

  hasUpcasters(type: string): boolean {
    return this.steps.has(type);
  }

  /** Throws SchemaVersionNotCurrentError unless `schemaVersion` is the type's current one. */
  assertWritable(type: string, schemaVersion: number): void {
    const current = this.currentVersion(type);
    if (current !== undefined && schemaVersion !== current) {
      throw new SchemaVersionNotCurrentError(type, schemaVersion, current);
    }
  }

  /** Data at the current version; the same object when nothing had to change. */
  upcast(
    type: string,
    schemaVersion: number,
    data: Record<string, unknown>,
    metadata: EventMetadata,
  ): { schemaVersion: number; data: Record<string, unknown> } {
    const list = this.steps.get(type);
    if (!list) return { schemaVersion, data };
    const current = list.length + 1;
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > current) {
      throw new UnknownSchemaVersionError(type, schemaVersion, current);
    }
    if (schemaVersion === current) return { schemaVersion, data };
    // Upcasters may build on their input; the adapter's own objects must stay untouched.
    let out = structuredClone(data);
    for (let v = schemaVersion; v < current; v++) out = list[v - 1].upcast(out, metadata);
    return { schemaVersion: current, data: out };
  }
}
