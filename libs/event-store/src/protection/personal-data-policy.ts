import { parseFieldPath, type PathSegment } from './field-path';

/**
 * Which fields of which event types hold personal data: event type → field paths in `data`
 * (`contactEmail`, `recipients[]`, `notes[].text`, `address` for a whole object). Data, not
 * code: each service passes its own map (see docs/personal-data.md for the product's list).
 *
 * Paths describe the current schema version of the type (encryption happens on append, which
 * only writes current versions). Reading never needs the policy: every encrypted value is a
 * self-describing envelope listed in `metadata.encryptedFields`, so changing a policy later
 * does not break reading older events.
 */
export type PersonalDataMap = Readonly<Record<string, readonly string[]>>;

export class PersonalDataPolicy {
  private readonly compiled = new Map<string, Array<{ path: string; segments: PathSegment[] }>>();

  constructor(...maps: PersonalDataMap[]) {
    for (const map of maps) {
      for (const [type, paths] of Object.entries(map)) {
        const list = this.compiled.get(type) ?? [];
        for (const path of paths) {
          if (list.some((p) => p.path === path)) continue;
          const segments = parseFieldPath(path);
          // `contact` and `contact.email` together would encrypt inside an envelope.
          const overlap = list.find((p) => isPrefix(p.segments, segments) || isPrefix(segments, p.segments));
          if (overlap) throw new Error(`${type}: personal data paths '${overlap.path}' and '${path}' overlap`);
          list.push({ path, segments });
        }
        if (list.length > 0) this.compiled.set(type, list);
      }
    }
  }

  /** A new policy with more event types or paths (services extend the shared one). */
  with(map: PersonalDataMap): PersonalDataPolicy {
    return new PersonalDataPolicy(this.toMap(), map);
  }

  /** Compiled paths for a type; undefined (the cheap common case) when it has none. */
  pathsOf(eventType: string): ReadonlyArray<{ path: string; segments: PathSegment[] }> | undefined {
    return this.compiled.get(eventType);
  }

  toMap(): Record<string, string[]> {
    return Object.fromEntries([...this.compiled].map(([type, list]) => [type, list.map((p) => p.path)]));
  }
}

function isPrefix(a: PathSegment[], b: PathSegment[]): boolean {
  return (
    a.length <= b.length &&
    a.every((seg, i) => seg.kind === b[i].kind && (seg.kind === 'each' || seg.name === (b[i] as { name: string }).name))
  );
}
