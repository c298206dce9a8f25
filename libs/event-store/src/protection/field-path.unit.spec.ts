import { fieldAt, findFields, parseFieldPath } from './field-path';
import { PersonalDataPolicy } from './personal-data-policy';
import { productPersonalData } from './product-personal-data';

describe('field paths', () => {
  it('parses keys, nested keys and list elements', () => {
    expect(parseFieldPath('notes[].text')).toEqual([
      { kind: 'key', name: 'notes' },
      { kind: 'each' },
      { kind: 'key', name: 'text' },
    ]);
    for (const bad of ['', 'a..b', 'a[0]', 'a[', '.a', 'a.']) expect(() => parseFieldPath(bad)).toThrow();
  });

  it('finds present values with concrete paths and skips absent or null ones', () => {
    const data = {
      contact: { email: 'a@x.io', phone: null },
      recipients: ['r1', 'r2'],
      notes: [{ text: 'n1' }, { other: 1 }, { text: 'n3' }],
    };
    const found = (p: string) => findFields(data, parseFieldPath(p)).map((s) => [s.path, s.value]);
    expect(found('contact.email')).toEqual([['contact.email', 'a@x.io']]);
    expect(found('contact.phone')).toEqual([]);
    expect(found('missing.deep')).toEqual([]);
    expect(found('recipients[]')).toEqual([
      ['recipients[0]', 'r1'],
      ['recipients[1]', 'r2'],
    ]);
    expect(found('notes[].text')).toEqual([
      ['notes[0].text', 'n1'],
      ['notes[2].text', 'n3'],
    ]);
    expect(found('contact')).toEqual([['contact', data.contact]]);
  });

  it('reads and replaces the value at a concrete path', () => {
    const data = { notes: [{ text: 'n1' }, { text: 'n2' }] };
    const slot = fieldAt(data, 'notes[1].text');
    expect(slot?.value).toBe('n2');
    slot?.set(null);
    expect(data.notes[1].text).toBeNull();
    expect(fieldAt(data, 'notes[5].text')).toBeUndefined();
  });

  it('accepts the product policy (valid, non-overlapping paths)', () => {
    const policy = new PersonalDataPolicy(productPersonalData);
    expect(policy.pathsOf('CustomerInvited')?.map((p) => p.path)).toContain('contactEmail');
    expect(policy.pathsOf('CustomerTagsChanged')).toBeUndefined();
  });

  it('merges policies per event type', () => {
    const merged = new PersonalDataPolicy({ A: ['x'] }).with({ A: ['y', 'x'], B: ['z[]'] });
    expect(merged.toMap()).toEqual({ A: ['x', 'y'], B: ['z[]'] });
    expect(merged.pathsOf('C')).toBeUndefined();
    expect(() => new PersonalDataPolicy({ A: ['bad[0]'] })).toThrow(/invalid field path/);
    expect(() => new PersonalDataPolicy({ A: ['contact.email'] }, { A: ['contact'] })).toThrow(/'contact.email' and 'contact' overlap/);
    expect(() => new PersonalDataPolicy({ A: ['notes[]', 'notes[].text'] })).toThrow(/overlap/);
    expect(new PersonalDataPolicy({ A: ['contactName', 'contact'] }).toMap()).toEqual({ A: ['contactName', 'contact'] });
  });
});
