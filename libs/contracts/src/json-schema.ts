/**
 * The JSON Schema (draft 2020-12) subset the contracts use, and a validator for exactly that
 * subset. Keywords outside it are refused when a schema is checked (`assertSupportedSchema`), so a
 * contract can never rely on a rule this validator would silently skip.
 */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  examples?: unknown[];
  type?: JsonType | JsonType[];
  enum?: readonly unknown[];
  const?: unknown;
  // strings
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: 'uuid' | 'date-time' | 'email' | 'uri' | 'date';
  // numbers
  minimum?: number;
  maximum?: number;
  // arrays
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  // objects
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  minProperties?: number;
}

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'examples']);
const ASSERTIONS = new Set([
  'type',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
]);
const FORMATS = new Set(['uuid', 'date-time', 'email', 'uri', 'date']);

/** Throws on keywords or formats this validator does not implement. */
export function assertSupportedSchema(schema: JsonSchema, at = '#'): void {
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !ASSERTIONS.has(key)) throw new Error(`${at}: unsupported JSON Schema keyword '${key}'`);
  }
  if (schema.format && !FORMATS.has(schema.format)) throw new Error(`${at}: unsupported format '${schema.format}'`);
  if (schema.pattern) new RegExp(schema.pattern, 'u');
  if (schema.items) assertSupportedSchema(schema.items, `${at}/items`);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) assertSupportedSchema(sub, `${at}/properties/${name}`);
  if (typeof schema.additionalProperties === 'object') {
    assertSupportedSchema(schema.additionalProperties, `${at}/additionalProperties`);
  }
}

export interface SchemaViolation {
  /** JSON Pointer into the validated value (`/invitation/expiresAt`); `''` is the root. */
  path: string;
  message: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 date-time (the `date-time` format); offsets allowed, the contracts write UTC `Z`.
const DATE_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkFormat(format: string, value: string): boolean {
  switch (format) {
    case 'uuid':
      return UUID_RE.test(value);
    case 'date-time':
      return DATE_TIME_RE.test(value) && !Number.isNaN(Date.parse(value));
    case 'date':
      return DATE_RE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
    case 'email':
      return EMAIL_RE.test(value);
    case 'uri':
      try {
        return new URL(value).protocol.length > 1;
      } catch {
        return false;
      }
    default:
      return false;
  }
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

export interface ValidateOptions {
  /**
   * Treat objects without `additionalProperties` as closed. Producers validate closed, so a
   * field that is not in the contract (often personal data copied from a domain event) never
   * leaves the service; consumers validate open (tolerant reader), so a producer may add an
   * optional field without a new version.
   */
  closedObjects?: boolean;
}

/** All violations of `value` against `schema` (empty = valid). */
export function validateJson(schema: JsonSchema, value: unknown, options: ValidateOptions = {}, path = ''): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const fail = (message: string) => out.push({ path, message });
  const actual = typeOf(value);

  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) {
      fail(`must be ${allowed.join(' or ')}, got ${actual}`);
      return out;
    }
  }
  if (schema.const !== undefined && !deepEqual(schema.const, value)) fail(`must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    fail(`must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }

  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) fail(`must have at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && length > schema.maxLength) fail(`must have at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) fail(`must match ${schema.pattern}`);
    if (schema.format !== undefined && !checkFormat(schema.format, value)) fail(`must be a valid ${schema.format}`);
  }

  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`must be <= ${schema.maximum}`);
  }

  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail(`must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail(`must have at most ${schema.maxItems} items`);
    if (schema.uniqueItems && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) {
      fail('must not contain duplicates');
    }
    if (schema.items) value.forEach((v, i) => out.push(...validateJson(schema.items as JsonSchema, v, options, `${path}/${i}`)));
  }

  if (actual === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
      fail(`must have at least ${schema.minProperties} properties`);
    }
    for (const name of schema.required ?? []) {
      if (!(name in obj) || obj[name] === undefined) out.push({ path: `${path}/${escapePointer(name)}`, message: 'is required' });
    }
    for (const key of keys) {
      if (obj[key] === undefined) continue;
      const sub = schema.properties?.[key];
      const childPath = `${path}/${escapePointer(key)}`;
      if (sub) out.push(...validateJson(sub, obj[key], options, childPath));
      else if (typeof schema.additionalProperties === 'object') {
        out.push(...validateJson(schema.additionalProperties, obj[key], options, childPath));
      } else if (
        schema.additionalProperties === false ||
        (schema.additionalProperties === undefined && options.closedObjects)
      ) {
        out.push({ path: childPath, message: 'is not allowed' });
      }
    }
  }
  return out;
}
