import type { RecordedEvent } from '@platform/event-store';
import type { CustomerEvent } from '../../customers/domain/customer.events';

/**
 * Builds recorded events as the store would hand them to the projection: per-stream versions,
 * a growing global position, occurredAt from a fake clock that advances one minute per event.
 */
export class EventFixtures {
  private position = 1000n;
  private readonly versions = new Map<string, number>();
  private time: number;

  constructor(start = '2026-01-01T09:00:00.000Z') {
    this.time = Date.parse(start);
  }

  customer(partnerId: string, customerId: string, ...events: CustomerEvent[]): RecordedEvent[] {
    return events.map((e) => this.record(`customer-${customerId}`, e.type, e.data, { partnerId, customerId }));
  }

  partnerUser(partnerId: string, userId: string, type: string, data: Record<string, unknown>): RecordedEvent {
    return this.record(`partneruser-${userId}`, type, data, { partnerId });
  }

  other(streamId: string, partnerId: string, customerId: string, type: string, data: Record<string, unknown>): RecordedEvent {
    return this.record(streamId, type, data, { partnerId, customerId });
  }

  /** The occurredAt the next event will get. */
  nextTime(): string {
    return new Date(this.time).toISOString();
  }

  private record(
    streamId: string,
    type: string,
    data: Record<string, unknown>,
    ids: { partnerId: string; customerId?: string },
  ): RecordedEvent {
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.position += 7n; // sparse, like the PostgreSQL store's positions
    const occurredAt = new Date(this.time).toISOString();
    this.time += 60_000;
    return {
      id: `00000000-0000-7000-8000-${this.position.toString().padStart(12, '0')}`,
      streamId,
      streamVersion: version,
      globalPosition: this.position,
      recordedAt: new Date(occurredAt),
      type,
      schemaVersion: 1,
      data: structuredClone(data),
      metadata: {
        ...ids,
        occurredAt,
        correlationId: `corr-${this.position}`,
        causationId: `req-${this.position}`,
        actor: { type: 'user', id: 'user-fixture' },
      },
    };
  }
}

export function invited(
  organizationName: string,
  overrides: Partial<Extract<CustomerEvent, { type: 'CustomerInvited' }>['data']> = {},
): CustomerEvent {
  const domain = `${organizationName.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, '')}.example`;
  return {
    type: 'CustomerInvited',
    data: {
      organizationName,
      primaryDomain: domain,
      countryCode: 'IT',
      accountType: 'microsoft365-global-admin',
      contactEmail: `admin@${domain}`,
      tags: [],
      locale: 'en',
      invitation: { tokenId: 'token', expiresAt: '2026-02-01T00:00:00.000Z', draftEmail: 'Hello' },
      ...overrides,
    },
  };
}
