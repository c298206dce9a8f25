import { assertSupportedSchema, validateJson, type JsonSchema } from './json-schema';

describe('validateJson', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      at: { type: 'string', format: 'date-time' },
      email: { type: 'string', format: 'email' },
      link: { type: 'string', format: 'uri' },
      count: { type: 'integer', minimum: 0, maximum: 10 },
      kind: { type: 'string', enum: ['a', 'b'] },
      tags: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, maxItems: 2 },
      note: { type: ['string', 'null'], maxLength: 3 },
      nested: { type: 'object', properties: { x: { type: 'boolean' } }, required: ['x'], additionalProperties: false },
    },
    required: ['id', 'count'],
  };
  const valid = {
    id: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9e',
    at: '2026-01-01T00:00:00.000Z',
    email: 'a@b.io',
    link: 'https://x.io/a',
    count: 3,
    kind: 'a',
    tags: ['x', 'y'],
    note: null,
    nested: { x: true },
  };

  it('accepts valid data', () => {
    expect(validateJson(schema, valid)).toEqual([]);
  });

  it('reports each violation with a JSON pointer', () => {
    const bad = {
      id: 'not-a-uuid',
      at: '2026-13-01T00:00:00Z',
      email: 'nope',
      link: 'relative/path',
      count: 1.5,
      kind: 'c',
      tags: ['x', 'x', ''],
      note: 'toolong',
      nested: { y: 1 },
    };
    expect(validateJson(schema, bad)).toEqual([
      { path: '/id', message: 'must be a valid uuid' },
      { path: '/at', message: 'must be a valid date-time' },
      { path: '/email', message: 'must be a valid email' },
      { path: '/link', message: 'must be a valid uri' },
      { path: '/count', message: 'must be integer, got number' },
      { path: '/kind', message: 'must be one of "a", "b"' },
      { path: '/tags', message: 'must have at most 2 items' },
      { path: '/tags', message: 'must not contain duplicates' },
      { path: '/tags/2', message: 'must have at least 1 characters' },
      { path: '/note', message: 'must have at most 3 characters' },
      { path: '/nested/x', message: 'is required' },
      { path: '/nested/y', message: 'is not allowed' },
    ]);
    expect(validateJson(schema, { count: -1 })).toEqual([
      { path: '/id', message: 'is required' },
      { path: '/count', message: 'must be >= 0' },
    ]);
    expect(validateJson(schema, [])).toEqual([{ path: '', message: 'must be object, got array' }]);
  });

  it('treats objects without additionalProperties as open unless asked to close them', () => {
    expect(validateJson(schema, { ...valid, extra: 1 })).toEqual([]);
    expect(validateJson(schema, { ...valid, extra: 1 }, { closedObjects: true })).toEqual([
      { path: '/extra', message: 'is not allowed' },
    ]);
  });

  it('refuses schemas using keywords it does not implement', () => {
    expect(() => assertSupportedSchema({ type: 'object', oneOf: [] } as JsonSchema)).toThrow(/unsupported JSON Schema keyword 'oneOf'/);
    expect(() => assertSupportedSchema({ properties: { a: { format: 'ipv4' } } } as unknown as JsonSchema)).toThrow(/unsupported format/);
  });
});
