import type { RecordedEvent } from '@platform/event-store';
import type {
  CustomerEvent,
  CustomerStatus,
  ManagementMode,
  ReportDelivery,
  BillingReports,
} from '../customers/domain/customer.events';
import { normalizeSearchText } from './search-text';

export const HEALTH_VALUES = ['critical', 'warning', 'healthy', 'unknown'] as const;
export type CustomerHealth = (typeof HEALTH_VALUES)[number];

/** Sort rank of a health value: `sort=health` lists the customers needing attention first. */
export function healthRank(health: CustomerHealth | null): number {
  const i = HEALTH_VALUES.indexOf(health ?? 'unknown');
  return i < 0 ? HEALTH_VALUES.length - 1 : i;
}

/** Details shown on the one-customer view (not filtered on, so kept as one document). */
export interface CustomerDetails {
  accountType: string;
  locale: string;
  /** Personal: null once erased. */
  contactEmail: string | null;
  indirectProviderId: string | null;
  invitationExpiresAt: string | null;
  billingReports: BillingReports | null;
  serviceReports: ReportDelivery | null;
  jobNotificationProfileId: string | null;
  logo: { contentType: string; sizeBytes: number; sha256: string } | null;
  openTicketIds: string[];
}

/** One customer as the list and the one-customer view see it (a row of `customer_list`). */
export interface CustomerListRow {
  partnerId: string;
  customerId: string;
  organizationName: string;
  primaryDomain: string;
  status: Exclude<CustomerStatus, 'disconnected'>;
  countryCode: string;
  tags: string[];
  /** Started services (ServicesStarted), by service code. */
  services: string[];
  /** Service codes with a subscription that has not expired (ServicesAdded / SubscriptionChanged / SubscriptionExpired). */
  products: string[];
  openTickets: number;
  health: CustomerHealth | null;
  managementMode: ManagementMode;
  /** Personal: null until accepted and once erased. */
  registeredAccount: string | null;
  hasLogo: boolean;
  createdAt: string;
  /** Version of the customer stream this row reflects (the ETag). */
  streamVersion: number;
  lastPosition: bigint;
  details: CustomerDetails;
}

/** Sort keys kept beside the row (derived, never set directly). */
export function nameKey(organizationName: string): string {
  return normalizeSearchText(organizationName);
}

export function searchText(row: Pick<CustomerListRow, 'organizationName' | 'primaryDomain'>): string {
  return `${normalizeSearchText(row.organizationName)} ${normalizeSearchText(row.primaryDomain)}`;
}

/** The customer id an event of the customer stream is about. */
export function customerIdOf(event: RecordedEvent): string {
  return event.metadata.customerId ?? event.streamId.slice(event.streamId.indexOf('-') + 1);
}

/**
 * Folds one customer-stream event into the row (`undefined` = no row: never invited, or
 * disconnected). Pure; events at or below the row's stream version are ignored, so replaying
 * a batch changes nothing. Personal fields are taken as read: `null` once crypto-shredded.
 */
export function applyCustomerEvent(row: CustomerListRow | undefined, recorded: RecordedEvent): CustomerListRow | undefined {
  if (row && recorded.streamVersion <= row.streamVersion) return row;
  const event = recorded as unknown as CustomerEvent & RecordedEvent;
  const stamp = { streamVersion: recorded.streamVersion, lastPosition: recorded.globalPosition };

  if (event.type === 'CustomerInvited') {
    if (row) return { ...row, ...stamp };
    const d = event.data;
    return {
      partnerId: recorded.metadata.partnerId,
      customerId: customerIdOf(recorded),
      organizationName: d.organizationName,
      primaryDomain: d.primaryDomain,
      status: 'invited',
      countryCode: d.countryCode,
      tags: [...(d.tags ?? [])],
      services: [],
      products: [],
      openTickets: 0,
      health: null,
      managementMode: 'partner',
      registeredAccount: null,
      hasLogo: false,
      createdAt: recorded.metadata.occurredAt,
      ...stamp,
      details: {
        accountType: d.accountType,
        locale: d.locale,
        contactEmail: d.contactEmail ?? null,
        indirectProviderId: d.indirectProviderId ?? null,
        invitationExpiresAt: d.invitation?.expiresAt ?? null,
        billingReports: { enabled: false, recipients: [] },
        serviceReports: { enabled: false, recipients: [] },
        jobNotificationProfileId: null,
        logo: null,
        openTicketIds: [],
      },
    };
  }
  if (!row) return undefined; // events of a customer this model does not hold (disconnected) change nothing
  const next: CustomerListRow = { ...row, ...stamp, details: { ...row.details } };

  switch (event.type) {
    case 'InvitationResent':
      next.status = 'invited';
      if (event.data.contactEmail !== undefined) next.details.contactEmail = event.data.contactEmail;
      next.details.invitationExpiresAt = event.data.invitation?.expiresAt ?? next.details.invitationExpiresAt;
      return next;
    case 'InvitationRevoked':
      next.status = 'revoked';
      return next;
    case 'InvitationAccepted':
      next.status = 'active';
      next.registeredAccount = event.data.registeredAccount ?? null;
      next.details.accountType = event.data.accountType ?? next.details.accountType;
      next.details.invitationExpiresAt = null;
      if (event.data.indirectProviderId) next.details.indirectProviderId = event.data.indirectProviderId;
      return next;
    case 'CustomerUpdated': {
      const c = event.data.changes ?? {};
      if (c.organizationName !== undefined) next.organizationName = c.organizationName;
      applySettings(next, c);
      return next;
    }
    case 'SettingTemplateApplied':
      applySettings(next, event.data.settings ?? {});
      if (event.data.tags) next.tags = [...event.data.tags];
      return next;
    case 'CustomerLogoChanged':
      next.hasLogo = true;
      next.details.logo = { contentType: event.data.contentType, sizeBytes: event.data.sizeBytes, sha256: event.data.sha256 };
      return next;
    case 'CustomerLogoRemoved':
      next.hasLogo = false;
      next.details.logo = null;
      return next;
    case 'ManagementModeChanged':
      next.managementMode = event.data.to;
      return next;
    case 'CustomerTagsChanged':
      next.tags = [...event.data.tags];
      return next;
    case 'CustomerDisconnected':
      return undefined;
    case 'SupportTicketOpened':
      if (!next.details.openTicketIds.includes(event.data.ticketId)) {
        next.details.openTicketIds = [...next.details.openTicketIds, event.data.ticketId];
      }
      next.openTickets = next.details.openTicketIds.length;
      return next;
    case 'SupportTicketClosed':
      next.details.openTicketIds = next.details.openTicketIds.filter((t) => t !== event.data.ticketId);
      next.openTickets = next.details.openTicketIds.length;
      return next;
    default:
      // Notes, access sessions and types added later only move the version (the ETag).
      return next;
  }
}

function applySettings(
  row: CustomerListRow,
  s: {
    countryCode?: string;
    locale?: string;
    billingReports?: BillingReports;
    serviceReports?: ReportDelivery;
    jobNotificationProfileId?: string | null;
  },
): void {
  if (s.countryCode !== undefined) row.countryCode = s.countryCode;
  if (s.locale !== undefined) row.details.locale = s.locale;
  if (s.billingReports !== undefined) row.details.billingReports = s.billingReports;
  if (s.serviceReports !== undefined) row.details.serviceReports = s.serviceReports;
  if (s.jobNotificationProfileId !== undefined) row.details.jobNotificationProfileId = s.jobNotificationProfileId;
}

/** Folds a whole stream (or its prefix): the customer as it was after those events. */
export function foldCustomer(events: RecordedEvent[]): CustomerListRow | undefined {
  return events.reduce<CustomerListRow | undefined>((row, e) => applyCustomerEvent(row, e), undefined);
}
