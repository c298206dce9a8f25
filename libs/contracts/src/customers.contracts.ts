import { defineContract } from './contract';
import { ACCOUNT_TYPES, s, tagsSchema, type AccountType } from './schema-builders';

/** Contracts produced by the customers service on `customers.events.v1` (F1–F8). */

const invitationSchema = s.object(
  {
    link: s.uri('Personalised, signed, expiring acceptance link (a bearer secret: never log it)'),
    expiresAt: s.dateTime(),
    draftEmail: s.string({ maxLength: 20_000, description: 'Email text the partner edited (free text)' }),
  },
  ['link', 'expiresAt', 'draftEmail'],
);

export interface InvitationV1 {
  link: string;
  expiresAt: string;
  draftEmail: string;
}

export interface CustomerInvitedV1 {
  organizationName: string;
  primaryDomain: string;
  countryCode: string;
  accountType: AccountType;
  /** Language of the invitation email; `en` when absent. */
  locale?: string;
  tags: string[];
  indirectProviderId?: string;
  /** Absent for `authorization-link` invitations: the partner shares the link, nobody is emailed. */
  contactEmail?: string;
  invitation: InvitationV1;
}

export const customerInvitedV1 = defineContract<'CustomerInvited', 1, CustomerInvitedV1>({
  type: 'CustomerInvited',
  version: 1,
  producer: 'customers',
  description: 'A partner invited a customer (F1); the notifications service sends the invitation email.',
  personalData: {
    carries: true,
    fields: ['contactEmail', 'invitation.draftEmail', 'invitation.link'],
    why: 'The notifications service emails the invitation (address, partner-edited text, personal link).',
  },
  schema: s.object(
    {
      organizationName: s.string({ maxLength: 256 }),
      primaryDomain: s.string({ maxLength: 253 }),
      countryCode: s.country(),
      accountType: s.enumOf(ACCOUNT_TYPES),
      locale: s.locale(),
      tags: tagsSchema(),
      indirectProviderId: s.uuid('Indirect provider that also gets a relationship on acceptance'),
      contactEmail: s.email(),
      invitation: invitationSchema,
    },
    ['organizationName', 'primaryDomain', 'countryCode', 'accountType', 'tags', 'invitation'],
  ),
  example: {
    organizationName: 'Contoso Ltd',
    primaryDomain: 'contoso.com',
    countryCode: 'IT',
    accountType: 'microsoft365-global-admin',
    locale: 'it',
    tags: ['gold'],
    contactEmail: 'it-admin@contoso.com',
    invitation: {
      link: 'https://console.example.com/invitations/eyJhbGciOiJIUzI1NiJ9.x.y:accept',
      expiresAt: '2026-01-08T09:30:00.000Z',
      draftEmail: 'Hello, please accept our invitation to manage your services.',
    },
  },
});

export interface InvitationResentV1 {
  contactEmail: string;
  locale?: string;
  invitation: InvitationV1;
}

export const invitationResentV1 = defineContract<'InvitationResent', 1, InvitationResentV1>({
  type: 'InvitationResent',
  version: 1,
  producer: 'customers',
  description: 'The invitation was sent again with a new link and expiry; the previous link no longer works.',
  personalData: {
    carries: true,
    fields: ['contactEmail', 'invitation.draftEmail', 'invitation.link'],
    why: 'The notifications service emails the invitation again.',
  },
  schema: s.object(
    { contactEmail: s.email(), locale: s.locale(), invitation: invitationSchema },
    ['contactEmail', 'invitation'],
  ),
  example: {
    contactEmail: 'it-admin@contoso.com',
    invitation: {
      link: 'https://console.example.com/invitations/eyJhbGciOiJIUzI1NiJ9.z.w:accept',
      expiresAt: '2026-01-15T09:30:00.000Z',
      draftEmail: 'Hello again, please accept our invitation.',
    },
  },
});

export type InvitationRevokedV1 = Record<string, never>;

export const invitationRevokedV1 = defineContract<'InvitationRevoked', 1, InvitationRevokedV1>({
  type: 'InvitationRevoked',
  version: 1,
  producer: 'customers',
  description: 'The partner revoked a pending invitation; its link no longer works.',
  personalData: { carries: false },
  schema: s.object({}, []),
  example: {},
});

export interface InvitationAcceptedV1 {
  accountType: AccountType;
  indirectProviderId?: string;
}

export const invitationAcceptedV1 = defineContract<'InvitationAccepted', 1, InvitationAcceptedV1>({
  type: 'InvitationAccepted',
  version: 1,
  producer: 'customers',
  description:
    'The customer accepted the invitation and is now active. The registered account (admin email/UPN) stays in the customers service.',
  personalData: { carries: false },
  schema: s.object({ accountType: s.enumOf(ACCOUNT_TYPES), indirectProviderId: s.uuid() }, ['accountType']),
  example: { accountType: 'microsoft365-global-admin' },
});

export interface ReportDeliveryV1 {
  enabled: boolean;
  /** Email addresses; empty when disabled. */
  recipients: string[];
}

export interface CustomerUpdatedV1 {
  /** Only what changed (at least one). */
  changes: {
    organizationName?: string;
    countryCode?: string;
    locale?: string;
    hasLogo?: boolean;
    billingReports?: ReportDeliveryV1 & { billingProfileId?: string };
    serviceReports?: ReportDeliveryV1;
    /** `null` = no job notifications. */
    jobNotificationProfileId?: string | null;
  };
}

const recipientsSchema = s.array(s.email(), { uniqueItems: true, maxItems: 50 });

export const customerUpdatedV1 = defineContract<'CustomerUpdated', 1, CustomerUpdatedV1>({
  type: 'CustomerUpdated',
  version: 1,
  producer: 'customers',
  description: 'Customer information changed (F2, or a setting template applied in F5); only the changed settings are present.',
  personalData: {
    carries: true,
    fields: ['changes.billingReports.recipients[]', 'changes.serviceReports.recipients[]'],
    why: 'Notifications and reporting send billing and service reports to these addresses.',
  },
  schema: s.object({
    changes: s.object(
      {
        organizationName: s.string({ maxLength: 256 }),
        countryCode: s.country(),
        locale: s.locale(),
        hasLogo: s.boolean(),
        billingReports: s.object(
          { enabled: s.boolean(), recipients: recipientsSchema, billingProfileId: s.string({ maxLength: 128 }) },
          ['enabled', 'recipients'],
        ),
        serviceReports: s.object({ enabled: s.boolean(), recipients: recipientsSchema }, ['enabled', 'recipients']),
        jobNotificationProfileId: { type: ['string', 'null'], minLength: 1, maxLength: 128 },
      },
      [],
      { minProperties: 1 },
    ),
  }),
  example: {
    changes: { locale: 'fr', serviceReports: { enabled: true, recipients: ['reports@contoso.com'] } },
  },
});

export interface ManagementModeChangedV1 {
  mode: 'customer';
  previousMode: 'partner';
}

export const managementModeChangedV1 = defineContract<'ManagementModeChanged', 1, ManagementModeChangedV1>({
  type: 'ManagementModeChanged',
  version: 1,
  producer: 'customers',
  description:
    'The customer took its tenant back (F3, partner → customer only, never back): the partner can no longer start services or open the environment.',
  personalData: { carries: false },
  schema: s.object({ mode: { type: 'string', const: 'customer' }, previousMode: { type: 'string', const: 'partner' } }),
  example: { mode: 'customer', previousMode: 'partner' },
});

export interface CustomerTagsChangedV1 {
  tags: string[];
}

export const customerTagsChangedV1 = defineContract<'CustomerTagsChanged', 1, CustomerTagsChangedV1>({
  type: 'CustomerTagsChanged',
  version: 1,
  producer: 'customers',
  description: 'The customer’s tags changed (F5); carries the full tag set after the change.',
  personalData: { carries: false },
  schema: s.object({ tags: tagsSchema() }),
  example: { tags: ['gold', 'italy'] },
});

export type CustomerDisconnectedV1 = Record<string, never>;

export const customerDisconnectedV1 = defineContract<'CustomerDisconnected', 1, CustomerDisconnectedV1>({
  type: 'CustomerDisconnected',
  version: 1,
  producer: 'customers',
  description:
    'The partner removed the relationship (F6). Every consumer deletes its partner-portal data of this customer, personal data first; the customer’s history keeps its events with personal data erased.',
  personalData: { carries: false },
  schema: s.object({}, []),
  example: {},
});

export interface SupportTicketOpenedV1 {
  ticketId: string;
  /** Open tickets of the customer after this one opened. */
  openTicketCount: number;
}

export const supportTicketOpenedV1 = defineContract<'SupportTicketOpened', 1, SupportTicketOpenedV1>({
  type: 'SupportTicketOpened',
  version: 1,
  producer: 'customers',
  description: 'A support ticket (service request) was opened for the customer (F7). Title and description stay in the customers service.',
  personalData: { carries: false },
  schema: s.object({ ticketId: s.uuid(), openTicketCount: s.integer(1) }),
  example: { ticketId: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9e', openTicketCount: 2 },
});

export interface SupportTicketClosedV1 {
  ticketId: string;
  openTicketCount: number;
}

export const supportTicketClosedV1 = defineContract<'SupportTicketClosed', 1, SupportTicketClosedV1>({
  type: 'SupportTicketClosed',
  version: 1,
  producer: 'customers',
  description: 'A support ticket was closed (F7).',
  personalData: { carries: false },
  schema: s.object({ ticketId: s.uuid(), openTicketCount: s.integer(0) }),
  example: { ticketId: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9e', openTicketCount: 1 },
});

export interface CustomerAccessSessionOpenedV1 {
  sessionId: string;
  expiresAt: string;
}

export const customerAccessSessionOpenedV1 = defineContract<'CustomerAccessSessionOpened', 1, CustomerAccessSessionOpenedV1>({
  type: 'CustomerAccessSessionOpened',
  version: 1,
  producer: 'customers',
  description:
    'A partner user (the envelope’s actor) opened a delegated-access session to the customer’s service environment (F8). The session token never leaves the customers service.',
  personalData: { carries: false },
  schema: s.object({ sessionId: s.uuid(), expiresAt: s.dateTime() }),
  example: { sessionId: '01936a2e-8a3f-7b1c-9d2e-4f5a6b7c8d9f', expiresAt: '2026-01-01T10:15:00.000Z' },
});

export const customersContracts = [
  customerInvitedV1,
  invitationResentV1,
  invitationRevokedV1,
  invitationAcceptedV1,
  customerUpdatedV1,
  managementModeChangedV1,
  customerTagsChangedV1,
  customerDisconnectedV1,
  supportTicketOpenedV1,
  supportTicketClosedV1,
  customerAccessSessionOpenedV1,
] as const;
