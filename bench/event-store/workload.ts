import { uuidv7 } from '@platform/core';

/**
 * One benchmark event, written identically to both stores: same id, type, data and metadata,
 * so both serialise the same bytes (~320 bytes of JSON per event). Ids are UUIDv7 as in the
 * product (spec: Conventions).
 */
export interface BenchEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    partnerId: string;
    customerId: string;
    occurredAt: string;
    correlationId: string;
    actor: { type: 'user'; id: string };
  };
}

export const EVENT_TYPES = ['CustomerInvited', 'CustomerActivated', 'SubscriptionStarted', 'SeatsChanged'] as const;

const PLANS = ['starter', 'business', 'enterprise'];

export function benchEvent(seq: number, customerId: string): BenchEvent {
  const partnerId = `p-${(seq % 97).toString().padStart(4, '0')}`;
  return {
    id: uuidv7(),
    type: EVENT_TYPES[seq % EVENT_TYPES.length],
    data: {
      email: `owner.${seq}@c${seq % 1000}.example.com`,
      plan: PLANS[seq % PLANS.length],
      seats: (seq % 50) + 1,
    },
    metadata: {
      partnerId,
      customerId,
      occurredAt: new Date(1_750_000_000_000 + seq * 1000).toISOString(),
      correlationId: uuidv7(),
      actor: { type: 'user', id: `u-${seq % 1000}` },
    },
  };
}

/** Stream ids are `customer-<uuid>`: every append in the benchmark goes to a stream nobody wrote yet. */
export function newStream(): { streamId: string; customerId: string } {
  const customerId = uuidv7();
  return { streamId: `customer-${customerId}`, customerId };
}

export function streamOf(size: number, seqStart: number): { streamId: string; events: BenchEvent[] } {
  const { streamId, customerId } = newStream();
  const events: BenchEvent[] = [];
  for (let i = 0; i < size; i++) events.push(benchEvent(seqStart + i, customerId));
  return { streamId, events };
}

export function eventJsonBytes(e: BenchEvent): number {
  return Buffer.byteLength(JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata }));
}
