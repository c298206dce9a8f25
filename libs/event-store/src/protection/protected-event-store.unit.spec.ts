import { uuidv7 } from '@platform/core';
import type { NewEvent } from '../port/event';
import type { EventStore } from '../port/event-store.port';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store';
import { UpcasterChain, SchemaVersionNotCurrentError } from '../upcasting/upcaster-chain';
import { CachedDataKeyStore } from './cached-data-key-store';
import { DataKeyMissingError, PersonalDataTamperedError, SubjectShreddedError } from './errors';
import { InMemoryDataKeyStore } from './in-memory-data-key-store';
import { PersonalDataPolicy } from './personal-data-policy';
import { ProtectedEventStore } from './protected-event-store';

const policy = new PersonalDataPolicy({
  CustomerInvited: ['contactEmail', 'invitation.draftEmail'],
  ServiceReportsChanged: ['recipients[]'],
  SupportTicketNoteAdded: ['notes[].text'],
});

const customerA = uuidv7();
const customerB = uuidv7();
const partnerId = uuidv7();

function event(type: string, customerId: string | undefined, data: Record<string, unknown>, schemaVersion = 1): NewEvent {
  return {
    id: uuidv7(),
    type,
    schemaVersion,
    data,
    metadata: {
      partnerId,
      customerId,
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: uuidv7(),
      actor: { type: 'user', id: 'u-1' },
    },
  };
}

const invited = (customerId: string, email: string) =>
  event('CustomerInvited', customerId, {
    organizationName: 'Contoso Ltd',
    primaryDomain: 'contoso.com',
    contactEmail: email,
    invitation: { draftEmail: `Dear admin, please accept. Write to ${email}.`, expiresAt: '2026-01-08T00:00:00.000Z' },
    tags: ['gold'],
  });

describe('ProtectedEventStore', () => {
  let raw: EventStore;
  let keys: InMemoryDataKeyStore;
  let store: ProtectedEventStore;

  beforeEach(() => {
    raw = new InMemoryEventStore();
    keys = new InMemoryDataKeyStore();
    store = new ProtectedEventStore(raw, { keys, policy });
  });

  it('stores personal fields as AES-GCM envelopes and reads them back as written', async () => {
    const e = invited(customerA, 'alice@contoso.com');
    await store.append(`customer-${customerA}`, [e], { expectedVersion: 'no_stream' });

    const [stored] = await raw.readStream(`customer-${customerA}`);
    expect(JSON.stringify(stored.data)).not.toContain('alice@contoso.com');
    expect(stored.data.contactEmail).toEqual({
      $enc: 'v1',
      kid: customerA,
      iv: expect.any(String),
      ct: expect.any(String),
      tag: expect.any(String),
    });
    expect(Buffer.from((stored.data.contactEmail as { iv: string }).iv, 'base64')).toHaveLength(12);
    expect(stored.data.organizationName).toBe('Contoso Ltd');
    expect(stored.data.primaryDomain).toBe('contoso.com');
    expect(stored.metadata.encryptedFields).toEqual(['contactEmail', 'invitation.draftEmail']);

    const [read] = await store.readStream(`customer-${customerA}`);
    expect(read.data).toEqual(e.data);
    expect(read.metadata).toEqual(e.metadata);
    expect(read.metadata.personalDataErased).toBeUndefined();
  });

  it('encrypts every element of a list and a field inside list items', async () => {
    const reports = event('ServiceReportsChanged', customerA, { enabled: true, recipients: ['a@x.io', 'b@x.io'] });
    const notes = event('SupportTicketNoteAdded', customerA, {
      ticketId: 't-1',
      notes: [
        { at: '2026-01-01T00:00:00.000Z', text: 'call Bob on +39 06 1234' },
        { at: '2026-01-02T00:00:00.000Z', text: 'Bob says hi' },
      ],
    });
    await store.append(`customer-${customerA}`, [reports, notes], { expectedVersion: 'any' });

    const stored = await raw.readStream(`customer-${customerA}`);
    expect(stored[0].metadata.encryptedFields).toEqual(['recipients[0]', 'recipients[1]']);
    expect(stored[1].metadata.encryptedFields).toEqual(['notes[0].text', 'notes[1].text']);
    expect(JSON.stringify(stored.map((s) => s.data))).not.toMatch(/x\.io|Bob/);
    expect((stored[1].data.notes as Array<{ at: string }>)[1].at).toBe('2026-01-02T00:00:00.000Z');

    const read = await store.readStream(`customer-${customerA}`);
    expect(read.map((r) => r.data)).toEqual([reports.data, notes.data]);
  });

  it('passes events without personal fields or without a customer id through unchanged', async () => {
    const plain = event('CustomerTagsChanged', customerA, { tags: ['a'] });
    const noCustomer = event('CustomerInvited', undefined, { contactEmail: 'ops@partner.io' });
    const absent = event('CustomerInvited', customerA, { organizationName: 'Fabrikam' });
    await store.append('customer-x', [plain, noCustomer, absent], { expectedVersion: 'any' });

    const stored = await raw.readStream('customer-x');
    expect(stored.map((s) => s.data)).toEqual([plain.data, noCustomer.data, absent.data]);
    expect(stored.every((s) => s.metadata.encryptedFields === undefined)).toBe(true);
    expect(keys.lookups).toBe(0); // no key was needed, none was created
    expect((await store.readStream('customer-x')).map((s) => s.data)).toEqual([plain.data, noCustomer.data, absent.data]);
    expect(keys.lookups).toBe(0);
  });

  it('makes a retried append byte-identical so the idempotent append holds', async () => {
    const e = invited(customerA, 'alice@contoso.com');
    await store.append(`customer-${customerA}`, [e], { expectedVersion: 'no_stream' });
    const first = (await raw.readStream(`customer-${customerA}`))[0];
    await store.append(`customer-${customerA}`, [e], { expectedVersion: 'no_stream' });
    const after = await raw.readStream(`customer-${customerA}`);
    expect(after).toHaveLength(1);
    expect(after[0].data).toEqual(first.data);
  });

  it('detects a changed ciphertext or tag', async () => {
    const tampered = new Map<string, (v: { ct: string; tag: string }) => void>([
      ['ct', (v) => (v.ct = flipFirstByte(v.ct))],
      ['tag', (v) => (v.tag = flipFirstByte(v.tag))],
    ]);
    for (const [what, change] of tampered) {
      const e = invited(customerA, 'alice@contoso.com');
      const protectedEvent = await encryptOnly(e);
      change(protectedEvent.data.contactEmail as { ct: string; tag: string });
      const fake = new InMemoryEventStore();
      await fake.append(`customer-${what}`, [protectedEvent], { expectedVersion: 'any' });
      const reader = new ProtectedEventStore(fake, { keys, policy });
      await expect(reader.readStream(`customer-${what}`)).rejects.toBeInstanceOf(PersonalDataTamperedError);
    }
  });

  it('binds a ciphertext to its event id and field path (AAD)', async () => {
    const source = await encryptOnly(invited(customerA, 'alice@contoso.com'));
    // Same key, another event: the envelope copied over must not decrypt.
    const target = await encryptOnly(invited(customerA, 'mallory@contoso.com'));
    target.data.contactEmail = source.data.contactEmail;
    // Same event, another field.
    const swapped = await encryptOnly(invited(customerA, 'alice@contoso.com'));
    (swapped.data.invitation as Record<string, unknown>).draftEmail = swapped.data.contactEmail;

    const fake = new InMemoryEventStore();
    await fake.append('customer-moved', [target], { expectedVersion: 'any' });
    await fake.append('customer-swapped', [swapped], { expectedVersion: 'any' });
    const reader = new ProtectedEventStore(fake, { keys, policy });
    await expect(reader.readStream('customer-moved')).rejects.toMatchObject({ code: 'PERSONAL_DATA.TAMPERED', path: 'contactEmail' });
    await expect(reader.readStream('customer-swapped')).rejects.toMatchObject({
      code: 'PERSONAL_DATA.TAMPERED',
      path: 'invitation.draftEmail',
    });
  });

  it('after shred reads personal fields as null with a marker, keeps the rest and other customers', async () => {
    const a = invited(customerA, 'alice@contoso.com');
    const b = invited(customerB, 'bob@fabrikam.com');
    const tags = event('CustomerTagsChanged', customerA, { tags: ['gold'] });
    await store.append(`customer-${customerA}`, [a, tags], { expectedVersion: 'no_stream' });
    await store.append(`customer-${customerB}`, [b], { expectedVersion: 'no_stream' });

    await store.shred(customerA);

    const [erased, untouched] = await store.readStream(`customer-${customerA}`);
    expect(erased.data).toEqual({
      organizationName: 'Contoso Ltd',
      primaryDomain: 'contoso.com',
      contactEmail: null,
      invitation: { draftEmail: null, expiresAt: '2026-01-08T00:00:00.000Z' },
      tags: ['gold'],
    });
    expect(erased.metadata.personalDataErased).toBe(true);
    expect(erased.metadata.encryptedFields).toBeUndefined();
    expect(untouched.data).toEqual({ tags: ['gold'] });
    expect(untouched.metadata.personalDataErased).toBeUndefined();

    const [other] = await store.readStream(`customer-${customerB}`);
    expect(other.data.contactEmail).toBe('bob@fabrikam.com');
    expect(other.metadata.personalDataErased).toBeUndefined();

    // A shredded subject never gets a new key.
    await expect(store.append(`customer-${customerA}`, [invited(customerA, 'again@contoso.com')], { expectedVersion: 'any' })).rejects.toBeInstanceOf(
      SubjectShreddedError,
    );
  });

  it('looks keys up once per readAll page and serves shredded subjects from no cache', async () => {
    const cached = new CachedDataKeyStore(keys);
    const reader = new ProtectedEventStore(raw, { keys: cached, policy });
    await reader.append(`customer-${customerA}`, [invited(customerA, 'a1@x.io'), invited(customerA, 'a2@x.io')], { expectedVersion: 'any' });
    await reader.append(`customer-${customerB}`, [invited(customerB, 'b1@x.io')], { expectedVersion: 'any' });

    const fresh = new ProtectedEventStore(raw, { keys: new CachedDataKeyStore(keys), policy });
    const before = keys.lookups;
    const page = await fresh.readAll();
    expect(page.events.map((e) => e.data.contactEmail)).toEqual(['a1@x.io', 'a2@x.io', 'b1@x.io']);
    expect(keys.lookups - before).toBe(1);
    await fresh.readAll();
    expect(keys.lookups - before).toBe(1); // cached

    await reader.shred(customerA);
    const again = await reader.readAll();
    expect(again.events.map((e) => e.data.contactEmail)).toEqual([null, null, 'b1@x.io']);
  });

  it('fails loudly when the key store does not know a key (wrong or lost key database)', async () => {
    await store.append(`customer-${customerA}`, [invited(customerA, 'alice@contoso.com')], { expectedVersion: 'any' });
    const elsewhere = new ProtectedEventStore(raw, { keys: new InMemoryDataKeyStore(), policy });
    await expect(elsewhere.readStream(`customer-${customerA}`)).rejects.toBeInstanceOf(DataKeyMissingError);
  });

  it('refuses reserved metadata on append', async () => {
    const e = invited(customerA, 'alice@contoso.com');
    e.metadata.personalDataErased = true;
    await expect(store.append(`customer-${customerA}`, [e], { expectedVersion: 'any' })).rejects.toThrow(/reserved/);
  });

  describe('with upcasters', () => {
    // v1 { name } → v2 { organizationName } → v3 adds { locale: 'en' }
    const upcasters = new UpcasterChain([
      {
        type: 'CustomerRenamed',
        fromVersion: 2,
        toVersion: 3,
        upcast: (data) => ({ ...data, locale: 'en' }),
      },
      {
        type: 'CustomerRenamed',
        fromVersion: 1,
        toVersion: 2,
        upcast: ({ name, ...rest }) => ({ ...rest, organizationName: name }),
      },
    ]);

    it('reads old versions as the current one, decrypting first', async () => {
      const withPersonal = new PersonalDataPolicy({ CustomerRenamed: ['contactName'] });
      const writer = new ProtectedEventStore(raw, { keys, policy: withPersonal });
      const v1 = event('CustomerRenamed', customerA, { name: 'Contoso', contactName: 'Alice Smith' }, 1);
      const v2 = event('CustomerRenamed', customerA, { organizationName: 'Contoso 2', contactName: 'Alice Smith' }, 2);
      await writer.append(`customer-${customerA}`, [v1, v2], { expectedVersion: 'any' });

      const reader = new ProtectedEventStore(raw, { keys, policy: withPersonal, upcasters });
      const read = await reader.readStream(`customer-${customerA}`);
      expect(read.map((r) => [r.schemaVersion, r.data])).toEqual([
        [3, { organizationName: 'Contoso', contactName: 'Alice Smith', locale: 'en' }],
        [3, { organizationName: 'Contoso 2', contactName: 'Alice Smith', locale: 'en' }],
      ]);
      // The adapter's stored data is not changed by upcasting.
      expect((await raw.readStream(`customer-${customerA}`))[0].schemaVersion).toBe(1);
    });

    it('appends only the current version of an upcast type', async () => {
      const writer = new ProtectedEventStore(raw, { keys, policy, upcasters });
      await expect(
        writer.append('customer-v', [event('CustomerRenamed', customerA, { name: 'x' }, 2)], { expectedVersion: 'any' }),
      ).rejects.toBeInstanceOf(SchemaVersionNotCurrentError);
      await writer.append('customer-v', [event('CustomerRenamed', customerA, { organizationName: 'x', locale: 'it' }, 3)], {
        expectedVersion: 'any',
      });
      expect(await writer.streamVersion('customer-v')).toBe(1);
    });
  });

  async function encryptOnly(e: NewEvent): Promise<NewEvent> {
    const capture = new InMemoryEventStore();
    await new ProtectedEventStore(capture, { keys, policy }).append('customer-capture', [e], { expectedVersion: 'any' });
    const [stored] = await capture.readStream('customer-capture');
    return { id: stored.id, type: stored.type, schemaVersion: stored.schemaVersion, data: stored.data, metadata: stored.metadata };
  }
});

function flipFirstByte(b64: string): string {
  const b = Buffer.from(b64, 'base64');
  b[0] ^= 0xff;
  return b.toString('base64');
}
