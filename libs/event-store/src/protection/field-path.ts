/**
 * Field paths name the personal values inside an event's `data`:
 * `contactEmail`, `invitation.draftEmail`, `recipients[]` (every element), `notes[].text`.
 * A concrete path (`notes[2].text`) names one value that was found; it is what the cipher binds
 * into the AAD and what the store lists in `metadata.encryptedFields`.
 */
export type PathSegment = { kind: 'key'; name: string } | { kind: 'each' };

const KEY_RE = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Parses a policy path; throws on anything it would not apply exactly. */
export function parseFieldPath(path: string): PathSegment[] {
  if (path.length === 0) throw new Error('field path must not be empty');
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\])*)$/.exec(part);
    if (!m || !KEY_RE.test(m[1])) throw new Error(`invalid field path '${path}'`);
    segments.push({ kind: 'key', name: m[1] });
    for (let i = 0; i < m[2].length / 2; i++) segments.push({ kind: 'each' });
  }
  return segments;
}

/** A located value: its concrete path and a setter that replaces it in place. */
export interface FieldSlot {
  path: string;
  value: unknown;
  set(value: unknown): void;
}

type Container = Record<string, unknown> | unknown[];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Finds every value the pattern names in `root`, skipping absent parts (an optional field that
 * is not there, an empty list). Values that are `null` or `undefined` are not reported: there is
 * nothing personal to protect in them.
 */
export function findFields(root: Record<string, unknown>, segments: PathSegment[]): FieldSlot[] {
  const out: FieldSlot[] = [];
  const walk = (container: Container, at: number, prefix: string): void => {
    const seg = segments[at];
    const last = at === segments.length - 1;
    const visit = (parent: Container, key: string | number, path: string) => {
      const value = (parent as Record<string | number, unknown>)[key];
      if (value === undefined || value === null) return;
      if (last) {
        out.push({ path, value, set: (v) => ((parent as Record<string | number, unknown>)[key] = v) });
      } else if (isObject(value) || Array.isArray(value)) {
        walk(value, at + 1, path);
      }
    };
    if (seg.kind === 'key') {
      if (!isObject(container)) return;
      visit(container, seg.name, prefix ? `${prefix}.${seg.name}` : seg.name);
    } else {
      if (!Array.isArray(container)) return;
      for (let i = 0; i < container.length; i++) visit(container, i, `${prefix}[${i}]`);
    }
  };
  walk(root, 0, '');
  return out;
}

/** Parses a concrete path (`notes[2].text`) as written by `findFields`. */
export function parseConcretePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`invalid concrete field path '${path}'`);
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The slot at a concrete path, or undefined when the data has nothing there. */
export function fieldAt(root: Record<string, unknown>, path: string): FieldSlot | undefined {
  const keys = parseConcretePath(path);
  let parent: unknown = root;
  for (let i = 0; i < keys.length - 1; i++) {
    parent = (parent as Record<string | number, unknown> | null | undefined)?.[keys[i]];
    if (typeof parent !== 'object' || parent === null) return undefined;
  }
  const key = keys[keys.length - 1];
  if (typeof parent !== 'object' || parent === null) return undefined;
  const container = parent as Record<string | number, unknown>;
  if (!(key in container)) return undefined;
  return { path, value: container[key], set: (v) => (container[key] = v) };
}
