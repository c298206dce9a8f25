import { CodedError, ConflictError, NotFoundError, ValidationError } from '@platform/core';
import {
  decide,
  evolve,
  initialState,
  type CustomerCommand,
  type CustomerDecideContext,
  type CustomerEventEnvelope,
  type CustomerState,
  type InviteCustomer,
} from './customer.decider';
import { ACCOUNT_TYPES as CONTRACT_ACCOUNT_TYPES } from '@platform/contracts';
import { ACCOUNT_TYPES, type CustomerEvent, type CustomerInvited } from './customer.events';

const PARTNER = '01936a2e-0000-7000-8000-000000000001';
const OTHER_PARTNER = '01936a2e-0000-7000-8000-000000000002';
const CUSTOMER = '01936a2e-0000-7000-8000-0000000000c1';
const PROVIDER = '01936a2e-0000-7000-8000-0000000000d1';
const NOW = new Date('2026-01-01T09:30:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

const context = (now: Date = NOW, ids: string[] = ['01936a2e-0000-7000-8000-00000000a001']): CustomerDecideContext => {
  const queue = [...ids];
  return { now, nextId: () => queue.shift() ?? '01936a2e-0000-7000-8000-00000000afff' };
};

const meta = { partnerId: PARTNER, customerId: CUSTOMER, occurredAt: NOW.toISOString() };
const stream = (...events: CustomerEvent[]): CustomerEventEnvelope[] => events.map((e) => ({ ...e, metadata: meta }));

/** Given events (as recorded, with their metadata), when a command, then events or an error code. */
function given(events: CustomerEventEnvelope[]) {
  const state = (): CustomerState => events.reduce(evolve, initialState);
  return {
    when(command: CustomerCommand, ctx: CustomerDecideContext = context()) {
      const run = () => decide(command, state(), ctx);
      return {
        then(expected: CustomerEvent[]): void {
          const d = run();
          if (!d.ok) throw d.error;
          expect(d.value).toEqual(expected);
        },
        thenNothingHappens(): void {
          const d = run();
          if (!d.ok) throw d.error;
          expect(d.value).toEqual([]);
        },
        thenFails(code: string, kind: abstract new (...args: never[]) => CodedError): CodedError {
          const d = run();
          if (d.ok) throw new Error(`expected ${code}, got events ${JSON.stringify(d.value)}`);
          expect(d.error).toBeInstanceOf(kind);
          expect(d.error.code).toBe(code);
          return d.error;
        },
      };
    },
  };
}

const fieldsOf = (e: CodedError) => (e as ValidationError).fields.map((f) => f.field);

const inviteData = (over: Partial<InviteCustomer['data']> = {}): InviteCustomer['data'] => ({
  customerId: CUSTOMER,
  partnerId: PARTNER,
  organizationName: 'Contoso Ltd',
  primaryDomain: 'Contoso.com',
  countryCode: 'IT',
  accountType: 'microsoft365-global-admin',
  contactEmail: 'it-admin@contoso.com',
  tags: ['gold'],
  locale: 'it',
  draftEmail: 'Hello',
  ...over,
});
const invite = (over: Partial<InviteCustomer['data']> = {}): CustomerCommand => ({ type: 'InviteCustomer', data: inviteData(over) });

const invited: CustomerInvited = {
  type: 'CustomerInvited',
  data: {
    organizationName: 'Contoso Ltd',
    primaryDomain: 'contoso.com',
    countryCode: 'IT',
    accountType: 'microsoft365-global-admin',
    contactEmail: 'it-admin@contoso.com',
    tags: ['gold'],
    locale: 'it',
    indirectProviderId: PROVIDER,
    invitation: { tokenId: 'tok-1', expiresAt: '2026-01-08T09:30:00.000Z', draftEmail: 'Hello' },
  },
};
const accepted: CustomerEvent = {
  type: 'InvitationAccepted',
  data: { registeredAccount: 'admin@contoso.com', accountType: 'microsoft365-global-admin', indirectProviderId: PROVIDER },
};
const active = () => stream(invited, accepted);
const customerManaged = () => stream(invited, accepted, { type: 'ManagementModeChanged', data: { from: 'partner', to: 'customer' } });
const disconnected = () => stream(invited, accepted, { type: 'CustomerDisconnected', data: {} });

describe('Customer decider', () => {
  describe('F1 invite', () => {
    it('knows the same six account types as the published contract', () => {
      expect([...ACCOUNT_TYPES]).toEqual([...CONTRACT_ACCOUNT_TYPES]);
    });

    it('invites with a token, a 7-day expiry and the lower-cased domain', () => {
      given([]).when(invite()).then([
        {
          type: 'CustomerInvited',
          data: {
            organizationName: 'Contoso Ltd',
            primaryDomain: 'contoso.com',
            countryCode: 'IT',
            accountType: 'microsoft365-global-admin',
            contactEmail: 'it-admin@contoso.com',
            tags: ['gold'],
            locale: 'it',
            invitation: { tokenId: '01936a2e-0000-7000-8000-00000000a001', expiresAt: '2026-01-08T09:30:00.000Z', draftEmail: 'Hello' },
          },
        },
      ]);
    });

    it.each([
      'microsoft365-global-admin',
      'microsoft365-usgov-global-admin',
      'google-super-admin',
      'salesforce-system-admin',
      'local-account',
      'authorization-link',
    ])('accepts the account type %s', (accountType) => {
      const d = decide(invite({ accountType }), initialState, context());
      expect(d.ok && d.value[0].type === 'CustomerInvited' && d.value[0].data.accountType).toBe(accountType);
    });

    it('refuses an unknown account type', () => {
      const e = given([]).when(invite({ accountType: 'office-admin' })).thenFails('CUSTOMER.INVALID', ValidationError);
      expect(fieldsOf(e)).toEqual(['accountType']);
    });

    it('needs a contact email, except for an authorization link', () => {
      const e = given([]).when(invite({ contactEmail: undefined })).thenFails('CUSTOMER.INVALID', ValidationError);
      expect(fieldsOf(e)).toEqual(['contactEmail']);
      const d = decide(invite({ contactEmail: undefined, accountType: 'authorization-link' }), initialState, context());
      expect(d.ok).toBe(true);
      if (d.ok && d.value[0].type === 'CustomerInvited') expect(d.value[0].data).not.toHaveProperty('contactEmail');
    });

    it.each([
      ['organizationName', { organizationName: '' }],
      ['organizationName', { organizationName: '   ' }],
      ['organizationName', { organizationName: 'x'.repeat(257) }],
      ['primaryDomain', { primaryDomain: 'not a domain' }],
      ['primaryDomain', { primaryDomain: 'localhost' }],
      ['primaryDomain', { primaryDomain: '-contoso.com' }],
      ['primaryDomain', { primaryDomain: '10.0.0.1' }],
      ['countryCode', { countryCode: 'it' }],
      ['countryCode', { countryCode: 'XX' }],
      ['countryCode', { countryCode: 'UK' }],
      ['contactEmail', { contactEmail: 'nobody' }],
      ['locale', { locale: 'Italian' }],
      ['indirectProviderId', { indirectProviderId: 'acme' }],
      ['draftEmail', { draftEmail: ' ' }],
      ['tags[0]', { tags: [''] }],
      ['tags[0]', { tags: ['x'.repeat(65)] }],
      ['tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }],
    ])('refuses a bad %s', (field, over) => {
      const e = given([]).when(invite(over)).thenFails('CUSTOMER.INVALID', ValidationError);
      expect(fieldsOf(e)).toContain(field);
    });

    it('accepts 256-character names and 50 tags of 64 characters, trimming and de-duplicating tags', () => {
      const tags = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(64, 'x'));
      const d = decide(invite({ organizationName: 'n'.repeat(256), tags: [...tags, ` ${tags[0]} `] }), initialState, context());
      expect(d.ok && d.value[0].type === 'CustomerInvited' && d.value[0].data.tags).toEqual(tags);
    });

    it('writes a localised default draft email naming the partner and the indirect provider', () => {
      const d = decide(
        invite({ draftEmail: undefined, locale: 'fr', partnerName: 'Fabrikam MSP', indirectProviderName: 'Northwind', indirectProviderId: PROVIDER }),
        initialState,
        context(),
      );
      const draft = d.ok && d.value[0].type === 'CustomerInvited' ? d.value[0].data.invitation.draftEmail : '';
      expect(draft).toContain('Fabrikam MSP vous invite');
      expect(draft).toContain('Northwind');
      expect(draft).toContain('2026-01-08');
      const it = decide(invite({ draftEmail: undefined, locale: 'it' }), initialState, context());
      expect(it.ok && it.value[0].type === 'CustomerInvited' && it.value[0].data.invitation.draftEmail).toContain('Gentile');
      const en = decide(invite({ draftEmail: undefined, locale: 'de' }), initialState, context());
      expect(en.ok && en.value[0].type === 'CustomerInvited' && en.value[0].data.invitation.draftEmail).toContain('Dear Contoso Ltd');
    });

    it('refuses to invite twice into the same stream', () => {
      given(stream(invited)).when(invite()).thenFails('CUSTOMER.ALREADY_EXISTS', ConflictError);
    });
  });

  describe('F1 resend', () => {
    const resend = (over: Record<string, unknown> = {}): CustomerCommand => ({
      type: 'ResendInvitation',
      data: { partnerId: PARTNER, draftEmail: 'Again', ...over },
    });

    it('issues a new token and expiry (the old one is superseded)', () => {
      const later = new Date(NOW.getTime() + 2 * DAY);
      given(stream(invited))
        .when(resend(), context(later, ['tok-2']))
        .then([
          {
            type: 'InvitationResent',
            data: {
              contactEmail: 'it-admin@contoso.com',
              invitation: { tokenId: 'tok-2', expiresAt: '2026-01-10T09:30:00.000Z', draftEmail: 'Again' },
            },
          },
        ]);
    });

    it('re-opens a revoked invitation', () => {
      const events = stream(invited, { type: 'InvitationRevoked', data: {} });
      const d = decide(resend(), events.reduce(evolve, initialState), context(NOW, ['tok-2']));
      expect(d.ok).toBe(true);
      if (d.ok) expect(d.value.reduce((s, e) => evolve(s, e), events.reduce(evolve, initialState)).status).toBe('invited');
    });

    it('refuses once accepted', () => {
      given(active()).when(resend()).thenFails('CUSTOMER.NOT_INVITED', ConflictError);
    });

    it("answers another partner's customer as not found", () => {
      given(stream(invited)).when(resend({ partnerId: OTHER_PARTNER })).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
    });
  });

  describe('F1 revoke', () => {
    const revoke: CustomerCommand = { type: 'RevokeInvitation', data: { partnerId: PARTNER } };
    it('revokes a pending invitation', () => {
      given(stream(invited)).when(revoke).then([{ type: 'InvitationRevoked', data: {} }]);
    });
    it('refuses twice, and after acceptance', () => {
      given(stream(invited, { type: 'InvitationRevoked', data: {} })).when(revoke).thenFails('CUSTOMER.INVITATION_REVOKED', ConflictError);
      given(active()).when(revoke).thenFails('CUSTOMER.NOT_INVITED', ConflictError);
    });
    it('does not know an unknown customer', () => {
      given([]).when(revoke).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
    });
  });

  describe('F1 accept', () => {
    const accept = (tokenId = 'tok-1', registeredAccount = 'admin@contoso.com'): CustomerCommand => ({
      type: 'AcceptInvitation',
      data: { tokenId, registeredAccount },
    });

    it('activates the customer, records the registered account and the indirect provider', () => {
      given(stream(invited)).when(accept()).then([accepted]);
      const state = [...stream(invited), ...stream(accepted)].reduce(evolve, initialState);
      expect(state).toMatchObject({ status: 'active', registeredAccount: 'admin@contoso.com', indirectProviderId: PROVIDER, partnerId: PARTNER });
    });

    it('works once', () => {
      given(active()).when(accept()).thenFails('CUSTOMER.INVITATION_ALREADY_USED', ConflictError);
    });

    it('refuses an expired link (at the expiry instant too)', () => {
      given(stream(invited)).when(accept(), context(new Date('2026-01-08T09:30:00.000Z'))).thenFails('CUSTOMER.INVITATION_EXPIRED', ConflictError);
    });

    it('refuses a revoked link', () => {
      given(stream(invited, { type: 'InvitationRevoked', data: {} })).when(accept()).thenFails('CUSTOMER.INVITATION_REVOKED', ConflictError);
    });

    it('refuses the link a resend replaced, and accepts the new one', () => {
      const resent: CustomerEvent = {
        type: 'InvitationResent',
        data: { contactEmail: 'it-admin@contoso.com', invitation: { tokenId: 'tok-2', expiresAt: '2026-01-09T00:00:00.000Z', draftEmail: 'x' } },
      };
      given(stream(invited, resent)).when(accept('tok-1')).thenFails('CUSTOMER.INVITATION_SUPERSEDED', ConflictError);
      given(stream(invited, resent)).when(accept('tok-2')).then([accepted]);
    });

    it('does not know a token it never issued, nor a disconnected customer', () => {
      given(stream(invited)).when(accept('tok-x')).thenFails('CUSTOMER.INVITATION_NOT_FOUND', NotFoundError);
      given([]).when(accept()).thenFails('CUSTOMER.INVITATION_NOT_FOUND', NotFoundError);
      given(stream(invited, { type: 'CustomerDisconnected', data: {} })).when(accept()).thenFails('CUSTOMER.INVITATION_NOT_FOUND', NotFoundError);
    });

    it('needs a registered account', () => {
      given(stream(invited)).when(accept('tok-1', '  ')).thenFails('CUSTOMER.INVALID', ValidationError);
    });
  });

  describe('F2 edit', () => {
    const edit = (changes: Record<string, unknown>, partnerId = PARTNER): CustomerCommand => ({
      type: 'EditCustomer',
      data: { partnerId, changes },
    });

    it('records only what changed', () => {
      given(active())
        .when(edit({ organizationName: 'Contoso Italia', countryCode: 'IT', locale: 'fr', jobNotificationProfileId: 'jobs-1' }))
        .then([{ type: 'CustomerUpdated', data: { changes: { organizationName: 'Contoso Italia', locale: 'fr', jobNotificationProfileId: 'jobs-1' } } }]);
    });

    it('records nothing when nothing differs', () => {
      given(active()).when(edit({ countryCode: 'IT', locale: 'it' })).thenNothingHappens();
    });

    it('sets report delivery: recipients and a billing profile when enabled, none when disabled', () => {
      given(active())
        .when(
          edit({
            billingReports: { enabled: true, recipients: ['billing@contoso.com'], billingProfileId: 'monthly' },
            serviceReports: { enabled: false, recipients: ['ignored@contoso.com'] },
          }),
        )
        .then([
          {
            type: 'CustomerUpdated',
            data: { changes: { billingReports: { enabled: true, recipients: ['billing@contoso.com'], billingProfileId: 'monthly' } } },
          },
        ]);
    });

    it.each([
      ['organizationName', { organizationName: '' }],
      ['countryCode', { countryCode: 'ZZ' }],
      ['locale', { locale: 'EN' }],
      ['billingReports.recipients[0]', { billingReports: { enabled: true, recipients: ['nope'], billingProfileId: 'p' } }],
      ['billingReports.recipients', { billingReports: { enabled: true, recipients: [], billingProfileId: 'p' } }],
      ['billingReports.billingProfileId', { billingReports: { enabled: true, recipients: ['a@b.co'] } }],
      ['serviceReports.recipients', { serviceReports: { enabled: true, recipients: Array.from({ length: 51 }, (_, i) => `r${i}@b.co`) } }],
      ['jobNotificationProfileId', { jobNotificationProfileId: '' }],
      ['changes', {}],
    ])('refuses a bad %s', (field, changes) => {
      const e = given(active()).when(edit(changes)).thenFails('CUSTOMER.INVALID', ValidationError);
      expect(fieldsOf(e)).toContain(field);
    });

    it('turns job notifications off with null', () => {
      const withProfile = stream(invited, accepted, { type: 'CustomerUpdated', data: { changes: { jobNotificationProfileId: 'jobs-1' } } });
      given(withProfile).when(edit({ jobNotificationProfileId: null })).then([{ type: 'CustomerUpdated', data: { changes: { jobNotificationProfileId: null } } }]);
    });

    it('is refused in customer management mode', () => {
      given(customerManaged()).when(edit({ locale: 'fr' })).thenFails('CUSTOMER.CUSTOMER_MANAGED', ConflictError);
    });

    it("answers another partner's, unknown and disconnected customers as not found", () => {
      given(active()).when(edit({ locale: 'fr' }, OTHER_PARTNER)).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
      given([]).when(edit({ locale: 'fr' })).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
      given(disconnected()).when(edit({ locale: 'fr' })).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
    });
  });

  describe('F2 logo', () => {
    const sha = 'a'.repeat(64);
    const change = (over: Record<string, unknown> = {}): CustomerCommand => ({
      type: 'ChangeLogo',
      data: { partnerId: PARTNER, contentType: 'image/png', sizeBytes: 1000, sha256: sha, ...over },
    });

    it('records type, size and hash', () => {
      given(active()).when(change()).then([{ type: 'CustomerLogoChanged', data: { contentType: 'image/png', sizeBytes: 1000, sha256: sha } }]);
    });
    it('records nothing for the same image', () => {
      given(stream(invited, { type: 'CustomerLogoChanged', data: { contentType: 'image/png', sizeBytes: 1000, sha256: sha } })).when(change()).thenNothingHappens();
    });
    it('refuses other types and sizes over 512 KiB', () => {
      given(active()).when(change({ contentType: 'image/gif' })).thenFails('CUSTOMER.INVALID', ValidationError);
      given(active()).when(change({ sizeBytes: 512 * 1024 + 1 })).thenFails('CUSTOMER.INVALID', ValidationError);
    });
    it('removes a logo, and records nothing without one', () => {
      const remove: CustomerCommand = { type: 'RemoveLogo', data: { partnerId: PARTNER } };
      given(stream(invited, { type: 'CustomerLogoChanged', data: { contentType: 'image/png', sizeBytes: 1, sha256: sha } }))
        .when(remove)
        .then([{ type: 'CustomerLogoRemoved', data: {} }]);
      given(active()).when(remove).thenNothingHappens();
    });
    it('is refused in customer management mode', () => {
      given(customerManaged()).when(change()).thenFails('CUSTOMER.CUSTOMER_MANAGED', ConflictError);
    });
  });

  describe('F3 management mode', () => {
    const mode = (m: 'partner' | 'customer'): CustomerCommand => ({ type: 'ChangeManagementMode', data: { partnerId: PARTNER, mode: m } });

    it('goes from partner to customer', () => {
      given(active()).when(mode('customer')).then([{ type: 'ManagementModeChanged', data: { from: 'partner', to: 'customer' } }]);
    });
    it('never goes back', () => {
      given(customerManaged()).when(mode('partner')).thenFails('CUSTOMER.MANAGEMENT_MODE_IRREVERSIBLE', ConflictError);
    });
    it('records nothing when already there', () => {
      given(customerManaged()).when(mode('customer')).thenNothingHappens();
      given(active()).when(mode('partner')).thenNothingHappens();
    });
  });

  describe('F5 tags and setting templates', () => {
    const tags = (t: string[]): CustomerCommand => ({ type: 'ChangeTags', data: { partnerId: PARTNER, tags: t } });
    const apply = (over: Record<string, unknown> = {}): CustomerCommand => ({
      type: 'ApplySettingTemplate',
      data: { partnerId: PARTNER, templateId: 'tpl-1', templateName: 'Gold EU', settings: { locale: 'fr' }, tags: ['eu'], ...over },
    });

    it('replaces the tag set, trimmed and without duplicates', () => {
      given(active()).when(tags([' silver ', 'eu', 'eu'])).then([{ type: 'CustomerTagsChanged', data: { tags: ['silver', 'eu'] } }]);
    });
    it('records nothing for the same tags', () => {
      given(active()).when(tags(['gold'])).thenNothingHappens();
    });
    it('refuses more than 50 tags or a tag over 64 characters', () => {
      given(active()).when(tags(Array.from({ length: 51 }, (_, i) => `t${i}`))).thenFails('CUSTOMER.INVALID', ValidationError);
      given(active()).when(tags(['x'.repeat(65)])).thenFails('CUSTOMER.INVALID', ValidationError);
    });
    it('applies a template: its settings, and its tags added to the customer’s', () => {
      given(active())
        .when(apply())
        .then([{ type: 'SettingTemplateApplied', data: { templateId: 'tpl-1', templateName: 'Gold EU', settings: { locale: 'fr' }, tags: ['gold', 'eu'] } }]);
      const state = stream(invited, accepted, ...[{ type: 'SettingTemplateApplied', data: { templateId: 'tpl-1', templateName: 'Gold EU', settings: { locale: 'fr' }, tags: ['gold', 'eu'] } } as CustomerEvent]).reduce(evolve, initialState);
      expect(state).toMatchObject({ locale: 'fr', tags: ['gold', 'eu'], appliedTemplateIds: ['tpl-1'] });
    });
    it('refuses a template that would pass 50 tags', () => {
      given(active())
        .when(apply({ tags: Array.from({ length: 50 }, (_, i) => `t${i}`) }))
        .thenFails('CUSTOMER.TOO_MANY_TAGS', ConflictError);
    });
    it('refuses invalid template settings with their fields', () => {
      const e = given(active()).when(apply({ settings: { countryCode: 'XX' } })).thenFails('CUSTOMER.INVALID', ValidationError);
      expect(fieldsOf(e)).toEqual(['settings.countryCode']);
    });
    it('is refused in customer management mode, and for another partner', () => {
      given(customerManaged()).when(tags(['x'])).thenFails('CUSTOMER.CUSTOMER_MANAGED', ConflictError);
      given(customerManaged()).when(apply()).thenFails('CUSTOMER.CUSTOMER_MANAGED', ConflictError);
      given(active()).when(apply({ partnerId: OTHER_PARTNER })).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
    });
  });

  describe('F6 disconnect', () => {
    const disconnect = (confirmation: unknown, partnerId = PARTNER): CustomerCommand => ({
      type: 'DisconnectCustomer',
      data: { partnerId, confirmation },
    });

    it('disconnects with the literal confirmation "Yes"', () => {
      given(active()).when(disconnect('Yes')).then([{ type: 'CustomerDisconnected', data: {} }]);
      given(customerManaged()).when(disconnect('Yes')).then([{ type: 'CustomerDisconnected', data: {} }]);
      given(stream(invited)).when(disconnect('Yes')).then([{ type: 'CustomerDisconnected', data: {} }]);
    });

    it.each([['yes'], ['YES'], [' Yes'], [true], [undefined], ['']])('refuses the confirmation %p', (confirmation) => {
      const e = given(active()).when(disconnect(confirmation)).thenFails('CUSTOMER.CONFIRMATION_REQUIRED', ValidationError);
      expect(fieldsOf(e)).toEqual(['confirmation']);
    });

    it('is already disconnected the second time', () => {
      given(disconnected()).when(disconnect('Yes')).thenFails('CUSTOMER.ALREADY_DISCONNECTED', NotFoundError);
    });

    it("answers another partner as not found, before looking at the confirmation", () => {
      given(active()).when(disconnect('no', OTHER_PARTNER)).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
      given(disconnected()).when(disconnect('Yes', OTHER_PARTNER)).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
    });

    it('accepts no further command', () => {
      for (const command of [
        { type: 'ResendInvitation', data: { partnerId: PARTNER } },
        { type: 'RevokeInvitation', data: { partnerId: PARTNER } },
        { type: 'ChangeTags', data: { partnerId: PARTNER, tags: ['x'] } },
        { type: 'ChangeManagementMode', data: { partnerId: PARTNER, mode: 'customer' } },
        { type: 'RemoveLogo', data: { partnerId: PARTNER } },
      ] as CustomerCommand[]) {
        given(disconnected()).when(command).thenFails('CUSTOMER.NOT_FOUND', NotFoundError);
      }
    });
  });

  describe('evolve', () => {
    it('tracks open tickets from the support-ticket events on the stream', () => {
      const state = stream(
        invited,
        { type: 'SupportTicketOpened', data: { ticketId: 't1', title: 'a', description: 'b', severity: 'high' } },
        { type: 'SupportTicketOpened', data: { ticketId: 't2', title: 'a', description: 'b', severity: 'low' } },
        { type: 'SupportTicketClosed', data: { ticketId: 't1' } },
      ).reduce(evolve, initialState);
      expect(state.openTicketIds).toEqual(['t2']);
    });

    it('reads erased personal data as null after shredding', () => {
      const erased = { ...invited, data: { ...invited.data, contactEmail: null, invitation: { ...invited.data.invitation, draftEmail: null } } };
      const state = stream(erased, { ...accepted, data: { ...accepted.data, registeredAccount: null } } as CustomerEvent).reduce(evolve, initialState);
      expect(state).toMatchObject({ status: 'active', contactEmail: null, registeredAccount: null, organizationName: 'Contoso Ltd' });
    });
  });
});
