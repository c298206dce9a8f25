import type { RecordedEvent } from '@platform/event-store';
import { customersIntegrationMapper } from './customers-integration-mapper';
import { InvitationLinkSigner } from './invitation-link';

const signer = new InvitationLinkSigner('mapper-test-secret-0123456789abcdefgh', 'https://console.example.com');
const map = customersIntegrationMapper(() => signer);
const CUSTOMER = '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9e';
const TOKEN = '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9f';
const PROVIDER = '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8da1';

const recorded = (type: string, data: Record<string, unknown>, metadata: Record<string, unknown> = {}): RecordedEvent => ({
  id: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8daa',
  type,
  schemaVersion: 1,
  data,
  metadata: {
    partnerId: 'partner-1',
    customerId: CUSTOMER,
    occurredAt: '2026-01-01T09:30:00.000Z',
    correlationId: 'corr-1',
    causationId: 'req-1',
    actor: { type: 'user', id: 'user-1' },
    ...metadata,
  },
  streamId: `customer-${CUSTOMER}`,
  streamVersion: 1,
  globalPosition: 1n,
  recordedAt: new Date(),
});

const invited = {
  organizationName: 'Contoso',
  primaryDomain: 'contoso.com',
  countryCode: 'IT',
  accountType: 'microsoft365-global-admin',
  contactEmail: 'a@contoso.com',
  tags: ['gold'],
  locale: 'it',
  indirectProviderId: PROVIDER,
  invitation: { tokenId: TOKEN, expiresAt: '2026-01-08T09:30:00.000Z', draftEmail: 'Hello' },
};

describe('customers integration mapper', () => {
  it('announces CustomerInvited with the signed link rebuilt from token id and expiry', () => {
    const [envelope] = map(recorded('CustomerInvited', invited)) as unknown as Array<{ data: { invitation: Record<string, string> } } & Record<string, unknown>>;
    expect(envelope).toMatchObject({ type: 'CustomerInvited', version: 1, subject: CUSTOMER, partnerId: 'partner-1', correlationId: 'corr-1', causationId: 'req-1' });
    expect(envelope.data.invitation).toEqual({
      link: signer.link({ customerId: CUSTOMER, tokenId: TOKEN, expiresAt: '2026-01-08T09:30:00.000Z' }),
      expiresAt: '2026-01-08T09:30:00.000Z',
      draftEmail: 'Hello',
    });
    expect(signer.verify(new URL(envelope.data.invitation.link).pathname.split('/').pop()!.replace(/:accept$/, '')).tokenId).toBe(TOKEN);
  });

  it('keeps the registered account inside on InvitationAccepted', () => {
    const [envelope] = map(
      recorded('InvitationAccepted', { registeredAccount: 'admin@contoso.com', accountType: 'google-super-admin', indirectProviderId: PROVIDER }),
    ) as unknown as Array<{ data: unknown }>;
    expect(envelope.data).toEqual({ accountType: 'google-super-admin', indirectProviderId: PROVIDER });
  });

  it('maps management mode, logo and disconnection to their contracts', () => {
    const one = (type: string, data: Record<string, unknown>) => (map(recorded(type, data)) as unknown as Array<{ type: string; data: unknown }>)[0];
    expect(one('ManagementModeChanged', { from: 'partner', to: 'customer' })).toMatchObject({
      type: 'ManagementModeChanged',
      data: { mode: 'customer', previousMode: 'partner' },
    });
    expect(one('CustomerLogoChanged', { contentType: 'image/png', sizeBytes: 1, sha256: 'a'.repeat(64) })).toMatchObject({
      type: 'CustomerUpdated',
      data: { changes: { hasLogo: true } },
    });
    expect(one('CustomerDisconnected', {})).toMatchObject({ type: 'CustomerDisconnected', data: {} });
  });

  it('announces a template applied as the CustomerUpdated and CustomerTagsChanged it amounts to, with distinct ids', () => {
    const out = map(
      recorded('SettingTemplateApplied', { templateId: 't', templateName: 'Gold', settings: { locale: 'fr' }, tags: ['gold', 'eu'] }),
    ) as unknown as Array<{ id: string; type: string; data: unknown }>;
    expect(out.map((e) => [e.type, e.data])).toEqual([
      ['CustomerUpdated', { changes: { locale: 'fr' } }],
      ['CustomerTagsChanged', { tags: ['gold', 'eu'] }],
    ]);
    expect(new Set(out.map((e) => e.id)).size).toBe(2);
    expect(map(recorded('SettingTemplateApplied', { templateId: 't', templateName: 'Gold', settings: { locale: 'fr' }, tags: ['gold', 'eu'] }))).toEqual(out);
  });

  it('announces an authorization-link invitation without an address, without one', () => {
    const { contactEmail: _omitted, ...noAddress } = invited;
    const out = map(recorded('CustomerInvited', { ...noAddress, accountType: 'authorization-link' }));
    expect(out).toHaveLength(1);
    expect((out as ReadonlyArray<{ data: unknown }>)[0].data).not.toHaveProperty('contactEmail');
  });

  it('announces nothing for erased personal data or internal events', () => {
    expect(map(recorded('CustomerInvited', { ...invited, contactEmail: null }, { personalDataErased: true }))).toBeNull();
    expect(map(recorded('SupportTicketNoteAdded', { ticketId: 't', noteId: 'n', text: 'x' }))).toBeNull();
    expect(map(recorded('SomethingElse', {}))).toBeNull();
  });

  it('refuses to announce data its contract does not allow', () => {
    expect(() => map(recorded('CustomerTagsChanged', { tags: ['x'.repeat(65)] }))).toThrow(/does not match CustomerTagsChanged/);
  });
});
