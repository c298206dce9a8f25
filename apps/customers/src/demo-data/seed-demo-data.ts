import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '@platform/core';
import { ConcurrencyError, type EventMetadata, type EventStore, type NewEvent } from '@platform/event-store';
import { DEMO_ADMIN_USER_ID, DEMO_PARTNER_ID } from '@platform/service-kit';
import { customerStreamId, type CustomerEvent } from '../customers/domain/customer.events';
import { DEMO_CUSTOMERS, type DemoCustomer } from './demo-customers';

const DAY_MS = 86_400_000;
const INVITATION_TTL_MS = 14 * DAY_MS;

/**
 * A UUID (version 7 layout, variant 10) fixed by `name`: the same demo customer, event or
 * ticket gets the same id on every start, so seeding twice appends nothing twice.
 */
export function demoId(name: string): string {
  const h = createHash('sha256').update(`demo-data:${name}`).digest('hex');
  return `0192e5f0-${h.slice(0, 4)}-7${h.slice(4, 7)}-${((parseInt(h[7], 16) & 0x3) | 0x8).toString(16)}${h.slice(8, 11)}-${h.slice(11, 23)}`;
}

export interface DemoSeedResult {
  /** Customers appended by this call (0 when the demo partner already had them). */
  customersCreated: number;
  pinsCreated: number;
}

function eventsOf(c: DemoCustomer, now: number): Array<CustomerEvent & { at: number }> {
  const invitedAt = now - c.invitedDaysAgo * DAY_MS;
  const out: Array<CustomerEvent & { at: number }> = [
    {
      type: 'CustomerInvited',
      at: invitedAt,
      data: {
        organizationName: c.organizationName,
        primaryDomain: c.primaryDomain,
        countryCode: c.countryCode,
        accountType: c.accountType,
        ...(c.accountType === 'authorization-link' ? {} : { contactEmail: `it-admin@${c.primaryDomain}` }),
        tags: c.tags,
        locale: c.locale,
        invitation: {
          tokenId: demoId(`${c.primaryDomain}:invitation`),
          expiresAt: new Date(invitedAt + INVITATION_TTL_MS).toISOString(),
          draftEmail: `Hello ${c.organizationName} team, please accept our invitation to manage your cloud services.`,
        },
      },
    },
  ];
  const later = (days: number) => Math.min(now - 60_000, invitedAt + days * DAY_MS);
  if (c.journey === 'revoked') out.push({ type: 'InvitationRevoked', at: later(3), data: {} });
  if (c.journey === 'active' || c.journey === 'customer-managed') {
    out.push({
      type: 'InvitationAccepted',
      at: later(1),
      data: { registeredAccount: `admin@${c.primaryDomain}`, accountType: c.accountType },
    });
  }
  if (c.journey === 'customer-managed') {
    out.push({ type: 'ManagementModeChanged', at: later(20), data: { from: 'partner', to: 'customer' } });
  }
  (c.openTickets ?? []).forEach((title, i) =>
    out.push({
      type: 'SupportTicketOpened',
      at: later(10 + i),
      data: {
        ticketId: demoId(`${c.primaryDomain}:ticket:${i}`),
        title,
        description: `${title} — reported by the customer's IT team.`,
        severity: i === 0 ? 'high' : 'normal',
      },
    }),
  );
  return out;
}

function metadata(customerId: string | undefined, at: number): EventMetadata {
  return {
    partnerId: DEMO_PARTNER_ID,
    ...(customerId ? { customerId } : {}),
    occurredAt: new Date(at).toISOString(),
    correlationId: demoId('seed'),
    actor: { type: 'system', id: 'demo-data' },
  };
}

/**
 * Gives the embedded demo partner ({@link DEMO_PARTNER_ID}) its ~50 customers through the
 * event store, like real commands would: invitations, acceptances, revocations, a few
 * customer-managed tenants and open tickets, and pins for the demo admin. A customer whose
 * stream exists already is left alone, so a restart (or a half-finished earlier seed) adds
 * only what is missing and a customer disconnected by the user does not come back.
 */
export async function seedDemoData(store: EventStore, clock: Clock = systemClock): Promise<DemoSeedResult> {
  const now = clock.now().getTime();
  let customersCreated = 0;
  let pinsCreated = 0;
  const pinned: string[] = [];
  for (const c of DEMO_CUSTOMERS) {
    const customerId = demoId(`customer:${c.primaryDomain}`);
    if (c.pinned) pinned.push(customerId);
    const stream = customerStreamId(customerId);
    if ((await store.streamVersion(stream)) > 0) continue;
    const events: NewEvent[] = eventsOf(c, now).map(({ at, ...e }, i) => ({
      id: demoId(`${customerId}:event:${i}`),
      type: e.type,
      schemaVersion: 1,
      data: e.data as Record<string, unknown>,
      metadata: metadata(customerId, at),
    }));
    if (await appendNew(store, stream, events)) customersCreated++;
  }
  const userStream = `partneruser-${DEMO_ADMIN_USER_ID}`;
  if ((await store.streamVersion(userStream)) === 0) {
    const pins: NewEvent[] = pinned.map((customerId, i) => ({
      id: demoId(`pin:${customerId}`),
      type: 'CustomerPinned',
      schemaVersion: 1,
      data: { customerId },
      metadata: metadata(undefined, now - (pinned.length - i) * 60_000),
    }));
    if (await appendNew(store, userStream, pins)) pinsCreated = pins.length;
  }
  return { customersCreated, pinsCreated };
}

/** Appends to an empty stream; false when someone else (another process seeding) got there first. */
async function appendNew(store: EventStore, stream: string, events: NewEvent[]): Promise<boolean> {
  try {
    await store.append(stream, events, { expectedVersion: 'no_stream' });
    return true;
  } catch (e) {
    if (e instanceof ConcurrencyError) return false;
    throw e;
  }
}
