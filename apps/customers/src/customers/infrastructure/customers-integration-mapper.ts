import { deterministicUuid } from '@platform/core';
import {
  customerAccessSessionOpenedV1,
  customerDisconnectedV1,
  customerInvitedV1,
  customerTagsChangedV1,
  customerUpdatedV1,
  invitationAcceptedV1,
  invitationResentV1,
  invitationRevokedV1,
  managementModeChangedV1,
  sourceOf,
  supportTicketClosedV1,
  supportTicketOpenedV1,
  validateJson,
  type IntegrationEventContract,
  type IntegrationEventEnvelope,
} from '@platform/contracts';
import { PERSONAL_DATA_ERASED, type RecordedEvent } from '@platform/event-store';
import type { IntegrationEventMapper } from '@platform/messaging';
import { IntegrationEventMappingError } from '@platform/service-kit';
import { isCustomerEvent, type CustomerEvent, type CustomerSettingsChanges, type InvitationData } from '../domain/customer.events';
import type { InvitationLinkSigner } from './invitation-link';

type Announcement = { contract: IntegrationEventContract; data: Record<string, unknown>; /** Suffix for a second message of one event. */ part?: string };

const source = sourceOf('customers');

/** Only the settings the contract's `changes` knows (report recipients are already emails). */
const settingsChanges = (s: CustomerSettingsChanges & { organizationName?: string }): Record<string, unknown> =>
  Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));

/**
 * Customer domain events → `customers.events.v1` contracts. Differences from the domain:
 * invitations announce the signed link (rebuilt from token id and expiry, never stored),
 * the registered account stays inside, a logo change is `CustomerUpdated {hasLogo}`, and a
 * setting template applied is announced as the `CustomerUpdated` and `CustomerTagsChanged` it
 * amounts to. Events whose personal data was erased (customer disconnected before the relay
 * caught up, or a replay) are not announced: consumers already dropped that customer.
 */
export function customersIntegrationMapper(signer: () => InvitationLinkSigner): IntegrationEventMapper {
  const invitation = (customerId: string, i: InvitationData) => ({
    link: signer().link({ customerId, tokenId: i.tokenId, expiresAt: i.expiresAt }),
    expiresAt: i.expiresAt,
    draftEmail: i.draftEmail,
  });

  const announcements = (event: CustomerEvent, customerId: string): Announcement[] => {
    switch (event.type) {
      case 'CustomerInvited': {
        const d = event.data;
        // Without an address (authorization-link, or erased before the relay got here) the
        // notifications service has nobody to email; other consumers still learn of the invitation.
        return [
          {
            contract: customerInvitedV1,
            data: {
              organizationName: d.organizationName,
              primaryDomain: d.primaryDomain,
              countryCode: d.countryCode,
              accountType: d.accountType,
              locale: d.locale,
              tags: d.tags,
              ...(d.indirectProviderId !== undefined ? { indirectProviderId: d.indirectProviderId } : {}),
              ...(d.contactEmail !== undefined && d.contactEmail !== null ? { contactEmail: d.contactEmail } : {}),
              invitation: invitation(customerId, d.invitation),
            },
          },
        ];
      }
      case 'InvitationResent':
        if (event.data.contactEmail === undefined || event.data.contactEmail === null) return [];
        return [
          {
            contract: invitationResentV1,
            data: { contactEmail: event.data.contactEmail, invitation: invitation(customerId, event.data.invitation) },
          },
        ];
      case 'InvitationRevoked':
        return [{ contract: invitationRevokedV1, data: {} }];
      case 'InvitationAccepted':
        return [
          {
            contract: invitationAcceptedV1,
            data: {
              accountType: event.data.accountType,
              ...(event.data.indirectProviderId !== undefined ? { indirectProviderId: event.data.indirectProviderId } : {}),
            },
          },
        ];
      case 'CustomerUpdated':
        return [{ contract: customerUpdatedV1, data: { changes: settingsChanges(event.data.changes) } }];
      case 'CustomerLogoChanged':
        return [{ contract: customerUpdatedV1, data: { changes: { hasLogo: true } } }];
      case 'CustomerLogoRemoved':
        return [{ contract: customerUpdatedV1, data: { changes: { hasLogo: false } } }];
      case 'ManagementModeChanged':
        return [{ contract: managementModeChangedV1, data: { mode: event.data.to, previousMode: event.data.from } }];
      case 'CustomerTagsChanged':
        return [{ contract: customerTagsChangedV1, data: { tags: event.data.tags } }];
      case 'SettingTemplateApplied': {
        const out: Announcement[] = [];
        const changes = settingsChanges(event.data.settings);
        if (Object.keys(changes).length > 0) out.push({ contract: customerUpdatedV1, data: { changes }, part: 'settings' });
        if (event.data.tags !== undefined) out.push({ contract: customerTagsChangedV1, data: { tags: event.data.tags }, part: 'tags' });
        return out;
      }
      case 'CustomerDisconnected':
        return [{ contract: customerDisconnectedV1, data: {} }];
      case 'SupportTicketOpened':
        return event.data.openTicketCount === undefined
          ? []
          : [{ contract: supportTicketOpenedV1, data: { ticketId: event.data.ticketId, openTicketCount: event.data.openTicketCount } }];
      case 'SupportTicketClosed':
        return event.data.openTicketCount === undefined
          ? []
          : [{ contract: supportTicketClosedV1, data: { ticketId: event.data.ticketId, openTicketCount: event.data.openTicketCount } }];
      case 'CustomerAccessSessionOpened':
        return [{ contract: customerAccessSessionOpenedV1, data: { sessionId: event.data.sessionId, expiresAt: event.data.expiresAt } }];
      case 'SupportTicketNoteAdded':
        return [];
    }
  };

  return (recorded: RecordedEvent): IntegrationEventEnvelope[] | null => {
    if (!isCustomerEvent(recorded)) return null;
    if (recorded.metadata[PERSONAL_DATA_ERASED] === true) return null;
    const m = recorded.metadata;
    if (!m.customerId) throw new IntegrationEventMappingError(recorded, 'metadata.customerId is missing (it is the message key)');
    const customerId = m.customerId;
    const list = announcements(recorded as unknown as CustomerEvent, customerId);
    if (list.length === 0) return null;
    return list.map(({ contract, data, part }) => {
      const violations = validateJson(contract.schema, data, { closedObjects: true });
      if (violations.length > 0) {
        throw new IntegrationEventMappingError(
          recorded,
          `data does not match ${contract.type} v${contract.version}: ${violations.map((v) => `${v.path || '/'} ${v.message}`).join('; ')}`,
        );
      }
      return {
        // Consumers deduplicate by id: the domain event's own, or one derived from it per extra message.
        id: part === undefined ? recorded.id : deterministicUuid(recorded.id, part),
        type: contract.type,
        version: contract.version,
        source,
        time: m.occurredAt,
        subject: customerId,
        partnerId: m.partnerId,
        correlationId: m.correlationId,
        ...(m.causationId ? { causationId: m.causationId } : {}),
        actor: m.actor,
        data,
      };
    });
  };
}

/**
 * The relay's mapper is fixed when the service's infrastructure module is declared, before
 * configuration (and so the link secret) exists; the write module binds the signer when it
 * starts, before the relay's runner starts on bootstrap.
 */
export class CustomersRelayMapper {
  private signer: InvitationLinkSigner | undefined;
  private readonly mapper = customersIntegrationMapper(() => {
    if (!this.signer) throw new Error('customers relay: the invitation link signer is not bound yet');
    return this.signer;
  });

  bind(signer: InvitationLinkSigner): void {
    this.signer = signer;
  }

  readonly map: IntegrationEventMapper = (event) => this.mapper(event);
}

export const customersRelayMapper = new CustomersRelayMapper();
