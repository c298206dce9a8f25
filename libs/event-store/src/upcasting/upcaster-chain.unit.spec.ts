import type { EventMetadata } from '../port/event';
import { SchemaVersionNotCurrentError, UnknownSchemaVersionError, UpcasterChain, type Upcaster } from './upcaster-chain';

const metadata: EventMetadata = {
  partnerId: 'p',
  occurredAt: '2026-01-01T00:00:00.000Z',
  correlationId: 'c',
  actor: { type: 'system', id: 'test' },
};

const step = (type: string, fromVersion: number, upcast: Upcaster['upcast'] = (d) => d): Upcaster => ({
  type,
  fromVersion,
  toVersion: fromVersion + 1,
  upcast,
});

describe('UpcasterChain', () => {
  const chain = new UpcasterChain([
    step('CustomerInvited', 1, ({ country, ...rest }) => ({ ...rest, countryCode: country })),
    step('CustomerInvited', 2, (d) => ({ ...d, tags: d.tags ?? [] })),
  ]);

  it('upcasts v1 through v3 and v2 through v3', () => {
    expect(chain.upcast('CustomerInvited', 1, { country: 'IT' }, metadata)).toEqual({
      schemaVersion: 3,
      data: { countryCode: 'IT', tags: [] },
    });
    expect(chain.upcast('CustomerInvited', 2, { countryCode: 'FR', tags: ['a'] }, metadata)).toEqual({
      schemaVersion: 3,
      data: { countryCode: 'FR', tags: ['a'] },
    });
  });

  it('returns current-version data and types without upcasters as they are', () => {
    const data = { countryCode: 'IT', tags: [] };
    expect(chain.upcast('CustomerInvited', 3, data, metadata).data).toBe(data);
    const other = { x: 1 };
    expect(chain.upcast('Unrelated', 7, other, metadata)).toEqual({ schemaVersion: 7, data: other });
    expect(chain.currentVersion('CustomerInvited')).toBe(3);
    expect(chain.currentVersion('Unrelated')).toBeUndefined();
  });

  it('does not let an upcaster change the stored object', () => {
    const mutating = new UpcasterChain([
      step('T', 1, (d) => {
        d.added = true;
        return d;
      }),
    ]);
    const stored = { a: 1 };
    expect(mutating.upcast('T', 1, stored, metadata).data).toEqual({ a: 1, added: true });
    expect(stored).toEqual({ a: 1 });
  });

  it('refuses versions it cannot read', () => {
    expect(() => chain.upcast('CustomerInvited', 4, {}, metadata)).toThrow(UnknownSchemaVersionError);
    expect(() => chain.upcast('CustomerInvited', 0, {}, metadata)).toThrow(UnknownSchemaVersionError);
  });

  it('accepts only the current version for writing', () => {
    expect(() => chain.assertWritable('CustomerInvited', 2)).toThrow(SchemaVersionNotCurrentError);
    expect(() => chain.assertWritable('CustomerInvited', 3)).not.toThrow();
    expect(() => chain.assertWritable('Unrelated', 5)).not.toThrow();
  });

  it('rejects gaps, duplicates and steps that are not +1 when built', () => {
    expect(() => new UpcasterChain([step('T', 1), step('T', 3)])).toThrow(/gap, nothing upcasts v2 to v3/);
    expect(() => new UpcasterChain([step('T', 2)])).toThrow(/gap, nothing upcasts v1 to v2/);
    expect(() => new UpcasterChain([step('T', 1), step('T', 1)])).toThrow(/two upcasters from v1/);
    expect(() => new UpcasterChain([{ ...step('T', 1), toVersion: 3 }])).toThrow(/toVersion must be 2/);
    expect(() => new UpcasterChain([step('T', 0)])).toThrow(/fromVersion must be an integer >= 1/);
    expect(() => chain.with([step('CustomerInvited', 4)])).toThrow(/gap/);
    expect(chain.with([step('CustomerInvited', 3)]).currentVersion('CustomerInvited')).toBe(4);
  });
});
