/**
 * Domain events of the `customer-<uuidv7>` stream (names and data fixed in the issue-3 plan).
 *
 * Personal fields (`contactEmail`, `draftEmail`, `registeredAccount`, report recipients, ticket
 * text) are encrypted by the protected event store and read back as `null` once the customer's
 * key is shredded (F6): readers of old events must accept `null` there.
 *
 * The partner and customer ids are not in `data`: they travel in the event metadata
 * (`metadata.partnerId`, `metadata.customerId`).
 */

/** The six F1 account types (the published contract lists the same; a unit test keeps them equal). */
export const ACCOUNT_TYPES = [
  'microsoft365-global-admin',
  'microsoft365-usgov-global-admin',
  'google-super-admin',
  'salesforce-system-admin',
  'local-account',
  'authorization-link',
] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export type CustomerStatus = 'invited' | 'active' | 'revoked' | 'disconnected';
export type ManagementMode = 'partner' | 'customer';

/** The invitation as stored: the link itself is rebuilt from `tokenId` + `expiresAt` by the signer. */
export type InvitationData = {
  tokenId: string;
  /** ISO 8601 UTC. */
  expiresAt: string;
  /** Personal (partner-edited email text): `null` after crypto-shredding. */
  draftEmail: string | null;
};

export type ReportDelivery = {
  enabled: boolean;
  /** Email addresses; `null` after crypto-shredding. */
  recipients: string[] | null;
};

export type BillingReports = ReportDelivery & { billingProfileId?: string };

/** F2 settings a partner edits, also what a setting template carries (minus the name). */
export type CustomerSettingsChanges = {
  countryCode?: string;
  locale?: string;
  billingReports?: BillingReports;
  /** `null` = no job notifications. */
  jobNotificationProfileId?: string | null;
  serviceReports?: ReportDelivery;
};

export type CustomerChanges = CustomerSettingsChanges & { organizationName?: string };

export type CustomerInvited = {
  type: 'CustomerInvited';
  data: {
    organizationName: string;
    primaryDomain: string;
    countryCode: string;
    accountType: AccountType;
    /** Absent for `authorization-link` invitations without an address; `null` after shredding. */
    contactEmail?: string | null;
    tags: string[];
    locale: string;
    indirectProviderId?: string;
    invitation: InvitationData;
  };
};

export type InvitationResent = {
  type: 'InvitationResent';
  data: { contactEmail?: string | null; invitation: InvitationData };
};

export type InvitationRevoked = { type: 'InvitationRevoked'; data: Record<string, never> };

export type InvitationAccepted = {
  type: 'InvitationAccepted';
  data: {
    /** The signed-in admin of the customer (email/UPN); `null` after shredding. */
    registeredAccount: string | null;
    accountType: AccountType;
    indirectProviderId?: string;
  };
};

export type CustomerUpdated = { type: 'CustomerUpdated'; data: { changes: CustomerChanges } };

export type CustomerLogoChanged = {
  type: 'CustomerLogoChanged';
  data: { contentType: LogoContentType; sizeBytes: number; sha256: string };
};
export type CustomerLogoRemoved = { type: 'CustomerLogoRemoved'; data: Record<string, never> };

export const LOGO_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];

export type ManagementModeChanged = {
  type: 'ManagementModeChanged';
  data: { from: 'partner'; to: 'customer' };
};

export type CustomerTagsChanged = { type: 'CustomerTagsChanged'; data: { tags: string[] } };

export type SettingTemplateApplied = {
  type: 'SettingTemplateApplied';
  data: {
    templateId: string;
    templateName: string;
    settings: CustomerSettingsChanges;
    /** The full tag set after applying, when the template carries tags. */
    tags?: string[];
  };
};

export type CustomerDisconnected = { type: 'CustomerDisconnected'; data: Record<string, never> };

// F7 / F8 events live on the customer stream too; the support-ticket and access-session deciders decide them.
export type SupportTicketOpened = {
  type: 'SupportTicketOpened';
  data: {
    ticketId: string;
    title: string | null;
    description: string | null;
    severity: string;
    /** Open tickets after this one opened (the integration contract announces the count). */
    openTicketCount?: number;
  };
};
export type SupportTicketNoteAdded = {
  type: 'SupportTicketNoteAdded';
  data: { ticketId: string; noteId: string; text: string | null };
};
export type SupportTicketClosed = {
  type: 'SupportTicketClosed';
  data: { ticketId: string; resolution?: string | null; openTicketCount?: number };
};
export type CustomerAccessSessionOpened = {
  type: 'CustomerAccessSessionOpened';
  data: { sessionId: string; userId: string; expiresAt: string };
};

export type CustomerEvent =
  | CustomerInvited
  | InvitationResent
  | InvitationRevoked
  | InvitationAccepted
  | CustomerUpdated
  | CustomerLogoChanged
  | CustomerLogoRemoved
  | ManagementModeChanged
  | CustomerTagsChanged
  | SettingTemplateApplied
  | CustomerDisconnected
  | SupportTicketOpened
  | SupportTicketNoteAdded
  | SupportTicketClosed
  | CustomerAccessSessionOpened;

export type CustomerEventType = CustomerEvent['type'];

export const CUSTOMER_EVENT_TYPES: readonly CustomerEventType[] = [
  'CustomerInvited',
  'InvitationResent',
  'InvitationRevoked',
  'InvitationAccepted',
  'CustomerUpdated',
  'CustomerLogoChanged',
  'CustomerLogoRemoved',
  'ManagementModeChanged',
  'CustomerTagsChanged',
  'SettingTemplateApplied',
  'CustomerDisconnected',
  'SupportTicketOpened',
  'SupportTicketNoteAdded',
  'SupportTicketClosed',
  'CustomerAccessSessionOpened',
];

export const isCustomerEvent = (event: { type: string }): event is CustomerEvent =>
  (CUSTOMER_EVENT_TYPES as readonly string[]).includes(event.type);

/** Stream of one customer: `customer-<id>`. */
export const CUSTOMER_STREAM_CATEGORY = 'customer';
export const customerStreamId = (customerId: string): string => `${CUSTOMER_STREAM_CATEGORY}-${customerId}`;
