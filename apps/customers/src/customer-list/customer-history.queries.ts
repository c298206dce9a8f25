import { ValidationError } from '@platform/core';
import { PERSONAL_DATA_ERASED, type Actor, type EventStore, type RecordedEvent } from '@platform/event-store';
import type { AuthenticatedActor } from '@platform/service-kit';
import { evolve, initialState, type CustomerEventEnvelope, type CustomerState } from '../customers/domain/customer.decider';
import { customerStreamId } from '../customers/domain/customer.events';
import { customerNotFound, type CustomerView } from './customer-list.queries';

export interface HistoryEntry {
  eventId: string;
  type: string;
  streamVersion: number;
  occurredAt: string;
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  /** True when the customer's personal data was crypto-shredded: those fields read as null. */
  personalDataErased: boolean;
  data: Record<string, unknown>;
}

export interface HistoryPage {
  items: HistoryEntry[];
  nextCursor: string | null;
}

export interface CustomerAsOf extends CustomerView {
  asOf: string;
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${field}`, [{ field, message }]);
}

function encodeHistoryCursor(afterVersion: number): string {
  return Buffer.from(JSON.stringify({ v: afterVersion })).toString('base64url');
}

function decodeHistoryCursor(cursor: string): number {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const v = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown }).v;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  } catch {
    // falls through to the 400 below
  }
  throw invalid('cursor', 'cursor must be a value returned as nextCursor');
}

/** An ISO 8601 time with a zone (`Z` or an offset); anything else is a 400 on `asOf`. */
export function parseAsOf(value: string): Date {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
  const at = new Date(value);
  if (!ok || Number.isNaN(at.getTime())) throw invalid('asOf', 'asOf must be an ISO 8601 date-time with a time zone');
  return at;
}

/**
 * F19: a customer's history and the customer as it was at a past moment, read from its stream
 * (through the protected store, so personal data of a disconnected customer reads as erased).
 * The past of a disconnected customer (history, and `asOf` a time before it left) stays
 * readable by the partner's auditors and global-admins; to everyone else, and for any other
 * partner, the customer does not exist.
 */
export class CustomerHistoryQueries {
  constructor(private readonly store: EventStore) {}

  async history(actor: AuthenticatedActor, customerId: string, limit: number, cursor?: string): Promise<HistoryPage> {
    const after = cursor === undefined ? 0 : decodeHistoryCursor(cursor);
    const events = await this.visibleStream(actor, customerId);
    const page = events.filter((e) => e.streamVersion > after).slice(0, limit + 1);
    const items = page.slice(0, limit).map(toHistoryEntry);
    return {
      items,
      nextCursor: page.length > limit ? encodeHistoryCursor(items[items.length - 1].streamVersion) : null,
    };
  }

  /**
   * The customer folded, with the write side's own `evolve`, from the events that had occurred
   * at `asOf`; 404 if it did not exist then (or had been disconnected by then).
   */
  async asOf(actor: AuthenticatedActor, customerId: string, asOf: Date, pinned: boolean): Promise<CustomerAsOf> {
    const events = await this.visibleStream(actor, customerId);
    const at = asOf.getTime();
    const past = events.filter((e) => Date.parse(e.metadata.occurredAt) <= at);
    const state = past.reduce((s, e) => evolve(s, e as unknown as CustomerEventEnvelope), initialState);
    if (state.status === 'none' || state.status === 'disconnected') throw customerNotFound(customerId);
    return { ...customerViewOf(customerId, state, past.length, pinned), asOf: asOf.toISOString() };
  }

  private async visibleStream(actor: AuthenticatedActor, customerId: string): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(customerStreamId(customerId));
    if (events.length === 0 || events[0].metadata.partnerId !== actor.partnerId) throw customerNotFound(customerId);
    const disconnected = events.some((e) => e.type === 'CustomerDisconnected');
    if (disconnected) {
      const mayRead = actor.roles.some((r) => r === 'auditor' || r === 'global-admin');
      if (!mayRead) throw customerNotFound(customerId);
    }
    return events;
  }
}

/**
 * The write-side state in the read model's shape. Services, products and health come from
 * other streams (subscriptions, reporting): a past view shows none of them.
 */
export function customerViewOf(
  customerId: string,
  s: CustomerState,
  version: number,
  pinned: boolean,
): CustomerView {
  return {
    id: customerId,
    organizationName: s.organizationName ?? '',
    primaryDomain: s.primaryDomain ?? '',
    status: s.status as CustomerView['status'],
    countryCode: s.countryCode ?? '',
    tags: s.tags,
    services: [],
    products: [],
    openTickets: s.openTicketIds.length,
    health: null,
    managementMode: s.managementMode,
    registeredAccount: s.registeredAccount,
    hasLogo: s.logo !== null,
    pinned,
    createdAt: s.createdAt ?? '',
    accountType: s.accountType ?? '',
    locale: s.locale,
    contactEmail: s.contactEmail,
    indirectProviderId: s.indirectProviderId,
    invitationExpiresAt: s.status === 'invited' ? (s.invitation?.expiresAt ?? null) : null,
    billingReports: s.status === 'none' ? null : s.billingReports,
    serviceReports: s.status === 'none' ? null : s.serviceReports,
    jobNotificationProfileId: s.jobNotificationProfileId,
    logo: s.logo,
    version,
  };
}

function toHistoryEntry(e: RecordedEvent): HistoryEntry {
  return {
    eventId: e.id,
    type: e.type,
    streamVersion: e.streamVersion,
    occurredAt: e.metadata.occurredAt,
    recordedAt: e.recordedAt.toISOString(),
    actor: e.metadata.actor,
    correlationId: e.metadata.correlationId,
    causationId: e.metadata.causationId ?? null,
    personalDataErased: e.metadata[PERSONAL_DATA_ERASED] === true,
    data: e.data,
  };
}
