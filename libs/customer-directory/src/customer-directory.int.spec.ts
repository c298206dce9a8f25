import type { Pool, PoolClient } from 'pg';
import { uuidv7 } from '@platform/core';
import {
  customerDisconnectedV1,
  customerInvitedV1,
  customerTagsChangedV1,
  customerUpdatedV1,
  invitationAcceptedV1,
  invitationResentV1,
  invitationRevokedV1,
  managementModeChangedV1,
  sourceOf,
  supportTicketOpenedV1,
  toKafkaMessage,
  type IntegrationEvent,
  type IntegrationEventContract,
} from '@platform/contracts';
import { inTransaction } from '@platform/event-store';
import { InboxProcessor, migrateInbox, type ReceivedMessage } from '@platform/messaging';
import { createTestDatabase, type TestDatabase } from '@platform/testing';
import { CustomerDirectory } from './customer-directory';

const contracts = {
  CustomerInvited: customerInvitedV1,
  InvitationResent: invitationResentV1,
  InvitationAccepted: invitationAcceptedV1,
  InvitationRevoked: invitationRevokedV1,
  CustomerUpdated: customerUpdatedV1,
  ManagementModeChanged: managementModeChangedV1,
  CustomerTagsChanged: customerTagsChangedV1,
  CustomerDisconnected: customerDisconnectedV1,
  SupportTicketOpened: supportTicketOpenedV1,
} as const;
type Type = keyof typeof contracts;

let clock = Date.parse('2026-01-01T09:00:00.000Z');

/** An envelope as the customers service publishes it: `data` defaults to the contract's example. */
function envelope(type: Type, customerId: string, partnerId: string, data?: unknown): IntegrationEvent {
  const contract = contracts[type] as IntegrationEventContract;
  clock += 1000;
  return {
    id: uuidv7(),
    type,
    version: 1,
    source: sourceOf('customers'),
    time: new Date(clock).toISOString(),
    subject: customerId,
    partnerId,
    correlationId: uuidv7(),
    actor: { type: 'user', id: uuidv7() },
    data: data ?? structuredClone(contract.example),
  } as IntegrationEvent;
}

describe('CustomerDirectory', () => {
  let db: TestDatabase;
  let pool: Pool;
  let directory: CustomerDirectory;
  const partner = uuidv7();

  const feed = (...events: IntegrationEvent[]) =>
    inTransaction(pool, async (tx: PoolClient) => {
      for (const e of events) {
        await directory.handler(e, tx, { consumer: 'test', topic: 'customers.events.v1', partition: 0, offset: '0', attempt: 1 });
      }
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = db.pool();
    directory = new CustomerDirectory(pool, { table: 'test_customer_directory' });
    await directory.migrate();
  });

  afterAll(async () => {
    await db.close();
  });

  it('rejects table names that are not plain identifiers', () => {
    for (const table of ['', 'Customers', '1table', 'a; DROP TABLE x', 'a-b', 'x'.repeat(64), 'public.t']) {
      expect(() => new CustomerDirectory(pool, { table })).toThrow(/invalid table name/);
    }
    expect(() => new CustomerDirectory(pool, { table: 'x'.repeat(63) })).not.toThrow();
  });

  it('migrates idempotently', async () => {
    await directory.migrate();
    await new CustomerDirectory(pool, { table: 'test_customer_directory' }).migrate();
    const { rows } = await pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'test_customer_directory'`);
    expect(rows.map((r: { indexname: string }) => r.indexname)).toContain('test_customer_directory_partner_idx');
  });

  it('records an invited customer from CustomerInvited', async () => {
    const id = uuidv7();
    const invited = envelope('CustomerInvited', id, partner);
    await feed(invited);
    expect(await directory.get(id)).toEqual({
      customerId: id,
      partnerId: partner,
      organizationName: 'Contoso Ltd',
      primaryDomain: 'contoso.com',
      countryCode: 'IT',
      locale: 'it',
      status: 'invited',
      managementMode: 'partner',
      tags: ['gold'],
      contactEmail: 'it-admin@contoso.com',
      serviceReports: { enabled: false, recipients: [] },
      billingReports: { enabled: false, recipients: [], billingProfileId: null },
      jobNotificationProfileId: null,
      invitedAt: invited.time,
      updatedAt: invited.time,
      disconnectedAt: null,
    });
  });

  it("defaults the locale to 'en' and the contact email to null when the invitation has none", async () => {
    const id = uuidv7();
    const { locale: _locale, contactEmail: _email, ...data } = structuredClone(customerInvitedV1.example);
    await feed(envelope('CustomerInvited', id, partner, data));
    const c = await directory.get(id);
    expect(c?.locale).toBe('en');
    expect(c?.contactEmail).toBeNull();
  });

  it('applies every customers event in order', async () => {
    const id = uuidv7();
    await feed(envelope('CustomerInvited', id, partner));
    await feed(envelope('InvitationResent', id, partner, { ...invitationResentV1.example, contactEmail: 'new-admin@contoso.com', locale: 'de' }));
    let c = await directory.get(id);
    expect([c?.contactEmail, c?.locale, c?.status]).toEqual(['new-admin@contoso.com', 'de', 'invited']);

    await feed(envelope('InvitationAccepted', id, partner));
    expect((await directory.get(id))?.status).toBe('active');

    await feed(envelope('CustomerUpdated', id, partner)); // example: locale fr, service reports on
    c = await directory.get(id);
    expect(c?.locale).toBe('fr');
    expect(c?.serviceReports).toEqual({ enabled: true, recipients: ['reports@contoso.com'] });
    expect(c?.organizationName).toBe('Contoso Ltd');

    const updated = envelope('CustomerUpdated', id, partner, {
      changes: {
        organizationName: 'Contoso SpA',
        countryCode: 'DE',
        billingReports: { enabled: true, recipients: ['billing@contoso.com', 'cfo@contoso.com'], billingProfileId: 'bp-1' },
        jobNotificationProfileId: 'jn-1',
      },
    });
    await feed(updated);
    c = await directory.get(id);
    expect(c).toMatchObject({
      organizationName: 'Contoso SpA',
      countryCode: 'DE',
      locale: 'fr',
      billingReports: { enabled: true, recipients: ['billing@contoso.com', 'cfo@contoso.com'], billingProfileId: 'bp-1' },
      serviceReports: { enabled: true, recipients: ['reports@contoso.com'] },
      jobNotificationProfileId: 'jn-1',
      updatedAt: updated.time,
    });

    await feed(envelope('CustomerUpdated', id, partner, { changes: { jobNotificationProfileId: null, billingReports: { enabled: false, recipients: [] } } }));
    c = await directory.get(id);
    expect(c?.jobNotificationProfileId).toBeNull();
    expect(c?.billingReports).toEqual({ enabled: false, recipients: [], billingProfileId: null });

    await feed(envelope('CustomerTagsChanged', id, partner)); // example: gold, italy
    expect((await directory.get(id))?.tags).toEqual(['gold', 'italy']);
    await feed(envelope('CustomerTagsChanged', id, partner, { tags: [] }));
    expect((await directory.get(id))?.tags).toEqual([]);

    await feed(envelope('ManagementModeChanged', id, partner));
    expect((await directory.get(id))?.managementMode).toBe('customer');
  });

  it('marks a revoked invitation', async () => {
    const id = uuidv7();
    await feed(envelope('CustomerInvited', id, partner), envelope('InvitationRevoked', id, partner));
    expect((await directory.get(id))?.status).toBe('revoked');
  });

  it('ignores event types it does not keep', async () => {
    const id = uuidv7();
    await feed(envelope('CustomerInvited', id, partner));
    const before = await directory.get(id);
    await feed(envelope('SupportTicketOpened', id, partner));
    expect(await directory.get(id)).toEqual(before);
    const unknown = uuidv7();
    await feed(envelope('SupportTicketOpened', unknown, partner));
    expect(await directory.get(unknown)).toBeUndefined();
  });

  it('erases personal data on CustomerDisconnected and keeps the row, whatever comes after', async () => {
    const id = uuidv7();
    await feed(
      envelope('CustomerInvited', id, partner),
      envelope('InvitationAccepted', id, partner),
      envelope('CustomerUpdated', id, partner, {
        changes: {
          serviceReports: { enabled: true, recipients: ['a@contoso.com'] },
          billingReports: { enabled: true, recipients: ['b@contoso.com'], billingProfileId: 'bp-9' },
        },
      }),
    );
    const disconnected = envelope('CustomerDisconnected', id, partner);
    await feed(disconnected);
    const c = await directory.get(id);
    expect(c).toMatchObject({
      status: 'disconnected',
      disconnectedAt: disconnected.time,
      contactEmail: null,
      serviceReports: { enabled: true, recipients: [] },
      billingReports: { enabled: true, recipients: [], billingProfileId: 'bp-9' },
      organizationName: 'Contoso Ltd',
    });

    // Late or repeated events bring nothing back.
    await feed(
      envelope('CustomerUpdated', id, partner, { changes: { serviceReports: { enabled: true, recipients: ['x@contoso.com'] } } }),
      envelope('InvitationAccepted', id, partner),
      envelope('CustomerInvited', id, partner),
      envelope('CustomerDisconnected', id, partner),
    );
    expect(await directory.get(id)).toEqual(c);

    expect(await directory.listForPartner(partner, { customerIds: [id] })).toEqual([]);
    expect(await directory.listForPartner(partner, { customerIds: [id], includeDisconnected: true })).toEqual([c]);
    expect(await directory.getForPartner(partner, id)).toEqual(c);
  });

  it('does not let a repeated CustomerInvited reset later state', async () => {
    const id = uuidv7();
    const invited = envelope('CustomerInvited', id, partner);
    await feed(
      invited,
      envelope('InvitationAccepted', id, partner),
      envelope('CustomerTagsChanged', id, partner, { tags: ['platinum'] }),
      envelope('ManagementModeChanged', id, partner),
      envelope('CustomerUpdated', id, partner, { changes: { organizationName: 'Renamed', locale: 'de' } }),
    );
    const before = await directory.get(id);
    await feed(invited, envelope('CustomerInvited', id, partner));
    expect(await directory.get(id)).toEqual(before);
    expect(before).toMatchObject({ status: 'active', tags: ['platinum'], managementMode: 'customer', organizationName: 'Renamed', locale: 'de', invitedAt: invited.time });
  });

  it('keeps a customer first seen through a later event as a minimal row, then fills it from CustomerInvited', async () => {
    const id = uuidv7();
    const accepted = envelope('InvitationAccepted', id, partner);
    await feed(accepted);
    expect(await directory.get(id)).toEqual({
      customerId: id,
      partnerId: partner,
      organizationName: null,
      primaryDomain: null,
      countryCode: null,
      locale: 'en',
      status: 'active',
      managementMode: 'partner',
      tags: [],
      contactEmail: null,
      serviceReports: { enabled: false, recipients: [] },
      billingReports: { enabled: false, recipients: [], billingProfileId: null },
      jobNotificationProfileId: null,
      invitedAt: accepted.time,
      updatedAt: accepted.time,
      disconnectedAt: null,
    });
    await feed(envelope('CustomerTagsChanged', id, partner, { tags: ['late'] }));
    const invited = envelope('CustomerInvited', id, partner, { ...customerInvitedV1.example, time: undefined });
    invited.time = new Date(Date.parse(accepted.time) - 60_000).toISOString(); // it happened before
    await feed(invited);
    expect(await directory.get(id)).toMatchObject({
      organizationName: 'Contoso Ltd',
      primaryDomain: 'contoso.com',
      countryCode: 'IT',
      locale: 'it',
      status: 'active',
      tags: ['late'],
      contactEmail: 'it-admin@contoso.com',
      invitedAt: invited.time,
    });

    const unknownDisconnect = uuidv7();
    await feed(envelope('CustomerDisconnected', unknownDisconnect, partner));
    expect((await directory.get(unknownDisconnect))?.status).toBe('disconnected');
  });

  it('isolates partners', async () => {
    const partnerA = uuidv7();
    const partnerB = uuidv7();
    const a1 = uuidv7();
    const a2 = uuidv7();
    const b1 = uuidv7();
    await feed(
      envelope('CustomerInvited', a1, partnerA, { ...customerInvitedV1.example, organizationName: 'Zeta' }),
      envelope('CustomerInvited', a2, partnerA, { ...customerInvitedV1.example, organizationName: 'Alpha' }),
      envelope('CustomerInvited', b1, partnerB),
    );
    expect((await directory.getForPartner(partnerA, a1))?.customerId).toBe(a1);
    expect(await directory.getForPartner(partnerB, a1)).toBeUndefined();
    expect(await directory.getForPartner(partnerA, b1)).toBeUndefined();
    expect(await directory.getForPartner(partnerA, uuidv7())).toBeUndefined();

    expect((await directory.listForPartner(partnerA)).map((c) => c.organizationName)).toEqual(['Alpha', 'Zeta']);
    expect((await directory.listForPartner(partnerB)).map((c) => c.customerId)).toEqual([b1]);
    expect((await directory.listForPartner(partnerA, { customerIds: [a1, b1] })).map((c) => c.customerId)).toEqual([a1]);
    expect(await directory.listForPartner(partnerA, { customerIds: [] })).toEqual([]);

    // A reader's own transaction sees its own state.
    await inTransaction(pool, async (tx) => {
      expect((await directory.getForPartner(partnerB, b1, tx))?.customerId).toBe(b1);
      expect(await directory.listForPartner(partnerB, {}, tx)).toHaveLength(1);
      expect((await directory.get(a2, tx))?.organizationName).toBe('Alpha');
    });
  });

  it('waitFor resolves once the predicate holds and rejects clearly after the timeout', async () => {
    const id = uuidv7();
    const waiting = directory.waitFor(id, (c) => c?.status === 'active', 3_000);
    await feed(envelope('CustomerInvited', id, partner));
    await feed(envelope('InvitationAccepted', id, partner));
    await expect(waiting).resolves.toBeUndefined();

    await expect(directory.waitFor(id, (c) => c?.status === 'revoked', 50)).rejects.toThrow(
      new RegExp(`customer ${id} did not reach the expected state within 50 ms \\(last seen: status active`),
    );
    await expect(directory.waitFor(uuidv7(), (c) => c !== undefined, 30)).rejects.toThrow(/unknown customer/);
    await expect(directory.waitFor(uuidv7(), (c) => c === undefined)).resolves.toBeUndefined();
  });

  it('applies each event once through the inbox, however often it is delivered', async () => {
    await migrateInbox(pool);
    const inboxed = new CustomerDirectory(pool, { table: 'test_inbox_customer_directory' });
    await inboxed.migrate();
    const processor = new InboxProcessor({ consumer: 'test.customer-directory', pool, handler: inboxed.handler, maxAttempts: 1 });
    let offset = 0;
    const deliver = (event: IntegrationEvent) => {
      const m = toKafkaMessage(event);
      const message: ReceivedMessage = { topic: m.topic, partition: 0, offset: String(offset++), key: m.key, value: m.value, headers: m.headers };
      return processor.process(message);
    };
    const id = uuidv7();
    const invited = envelope('CustomerInvited', id, partner);
    const gold = envelope('CustomerTagsChanged', id, partner, { tags: ['gold'] });
    const silver = envelope('CustomerTagsChanged', id, partner, { tags: ['silver'] });
    const disconnected = envelope('CustomerDisconnected', id, partner);

    expect(await deliver(invited)).toBe('handled');
    expect(await deliver(gold)).toBe('handled');
    expect(await deliver(silver)).toBe('handled');
    // Kafka redelivers older messages: applied again, `gold` would overwrite `silver`.
    expect(await deliver(gold)).toBe('duplicate');
    expect(await deliver(invited)).toBe('duplicate');
    expect((await inboxed.get(id))?.tags).toEqual(['silver']);

    expect(await deliver(disconnected)).toBe('handled');
    expect(await deliver(disconnected)).toBe('duplicate');
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = 'test.customer-directory'`);
    expect(rows[0].n).toBe(4);
    expect(await inboxed.get(id)).toMatchObject({ status: 'disconnected', tags: ['silver'], contactEmail: null });
  });
});
