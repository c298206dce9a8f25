import type { JsonSchema } from './json-schema';

/** Terse builders for the contracts' schemas; they produce plain draft 2020-12 JSON Schema. */
export const s = {
  string: (extra: JsonSchema = {}): JsonSchema => ({ type: 'string', minLength: 1, ...extra }),
  uuid: (description?: string): JsonSchema => ({ type: 'string', format: 'uuid', ...(description ? { description } : {}) }),
  dateTime: (description?: string): JsonSchema => ({
    type: 'string',
    format: 'date-time',
    ...(description ? { description } : {}),
  }),
  email: (description?: string): JsonSchema => ({
    type: 'string',
    format: 'email',
    maxLength: 254,
    ...(description ? { description } : {}),
  }),
  uri: (description?: string): JsonSchema => ({ type: 'string', format: 'uri', ...(description ? { description } : {}) }),
  country: (): JsonSchema => ({ type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  locale: (): JsonSchema => ({ type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', description: 'BCP 47' }),
  enumOf: (values: readonly string[], description?: string): JsonSchema => ({
    type: 'string',
    enum: values,
    ...(description ? { description } : {}),
  }),
  integer: (minimum = 0): JsonSchema => ({ type: 'integer', minimum }),
  boolean: (): JsonSchema => ({ type: 'boolean' }),
  array: (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra }),
  /** `required` lists the keys that must be present; all others are optional. */
  object: (properties: Record<string, JsonSchema>, required: readonly string[] = Object.keys(properties), extra: JsonSchema = {}): JsonSchema => ({
    type: 'object',
    properties,
    required,
    ...extra,
  }),
};

export const ACCOUNT_TYPES = [
  'microsoft365-global-admin',
  'microsoft365-usgov-global-admin',
  'google-super-admin',
  'salesforce-system-admin',
  'local-account',
  'authorization-link',
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const tagsSchema = (): JsonSchema =>
  s.array(s.string({ maxLength: 64 }), { uniqueItems: true, maxItems: 50, description: 'The full tag set after the change' });
