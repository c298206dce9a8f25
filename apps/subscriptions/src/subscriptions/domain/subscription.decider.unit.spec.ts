import { ConflictError, NotFoundError, ValidationError, type CodedError } from '@platform/core';
import {
  decide,
  evolve,
  initialState,
  validateNewSubscription,
  type AddSubscription,
  type SubscriptionCommand,
  type SubscriptionEventEnvelope,
  type SubscriptionState,
} from './subscription.decider';
import type { SubscriptionEvent, SubscriptionSnapshot } from './subscription.events';

const PARTNER = '01936a2e-0000-7000-8000-000000000001';
const OTHER_PARTNER = '01936a2e-0000-7000-8000-000000000002';
const CUSTOMER = '01936a2e-0000-7000-8000-0000000000c1';
const SUB = '01936a2e-0000-7000-8000-0000000000a1';
const NOW = new Date('2026-03-01T10:00:00.000Z');

const meta = { partnerId: PARTNER, customerId: CUSTOMER };
const stream = (...events: SubscriptionEvent[]): SubscriptionEventEnvelope[] => events.map((e) => ({ ...e, metadata: meta }));

function given(events: SubscriptionEventEnvelope[]) {
  const state = (): SubscriptionState => events.reduce(evolve, initialState);
  return {
    when(command: SubscriptionCommand, now: Date = NOW) {
      const run = () => decide(command, state(), { now });
      return {
        then(expected: SubscriptionEvent[]): void {
          const d = run();
          if (!d.ok) throw d.error;
          expect(d.value).toEqual(expected);
        },
        thenFails(code: string, kind: abstract new (...args: never[]) => CodedError): CodedError {
          const d = run();
          if (d.ok) throw new Error(`expected ${code}, got ${JSON.stringify(d.value)}`);
          expect(d.error).toBeInstanceOf(kind);
          expect(d.error.code).toBe(code);
          return d.error;
        },
      };
    },
  };
}

const snapshot: SubscriptionSnapshot = {
  subscriptionId: SUB,
  serviceCode: 'cloud-backup-m365',
  plan: 'paid',
  quantity: 100,
  unit: 'seats',
  termStartsAt: '2026-01-01T00:00:00.000Z',
  termEndsAt: '2027-01-01T00:00:00.000Z',
  pooled: true,
  autoRenew: false,
};
const added: SubscriptionEvent = { type: 'ServicesAdded', data: { subscriptions: [snapshot] } };

const add = (over: Partial<AddSubscription['data']> = {}): AddSubscription => ({
  type: 'AddSubscription',
  data: {
    subscriptionId: SUB,
    serviceCode: 'cloud-backup-m365',
    plan: 'paid',
    quantity: 100,
    termStartsAt: '2026-01-01T00:00:00.000Z',
    termEndsAt: '2027-01-01T00:00:00Z',
    pooled: true,
    ...over,
  },
});

const edit = (changes: object, extra: { partnerId?: string; batchId?: string } = {}): SubscriptionCommand => ({
  type: 'EditSubscription',
  data: { partnerId: extra.partnerId ?? PARTNER, customerId: CUSTOMER, changes, ...(extra.batchId ? { batchId: extra.batchId } : {}) },
});

describe('subscription decider: adding (F10)', () => {
  it('adds a subscription with the catalogue default unit and normalised times', () => {
    given([]).when(add()).then([added]);
  });

  it('defaults the term start to now', () => {
    const d = decide(add({ termStartsAt: undefined }), initialState, { now: NOW });
    expect(d.ok && d.value[0].type === 'ServicesAdded' && d.value[0].data.subscriptions[0].termStartsAt).toBe(NOW.toISOString());
  });

  it('refuses an id that exists', () => {
    given(stream(added)).when(add()).thenFails('SUBSCRIPTION.ALREADY_EXISTS', ConflictError);
  });

  it.each([
    [{ serviceCode: 'nope' }, 'serviceCode'],
    [{ plan: 'free' }, 'plan'],
    [{ quantity: 0 }, 'quantity'],
    [{ quantity: 1.5 }, 'quantity'],
    [{ unit: 'storage-gb' }, 'unit'],
    [{ serviceCode: 'risk-insights', pooled: true }, 'pooled'],
    [{ plan: 'trial', autoRenew: true, termEndsAt: '2026-01-10T00:00:00Z' }, 'autoRenew'],
    [{ termEndsAt: '2025-12-31T00:00:00Z' }, 'termEndsAt'],
    [{ termStartsAt: '2025-01-01T00:00:00Z', termEndsAt: '2026-02-01T00:00:00Z' }, 'termEndsAt'],
    [{ plan: 'trial', termEndsAt: '2026-06-01T00:00:00Z' }, 'termEndsAt'],
    [{ termEndsAt: '2032-01-01T00:00:00Z' }, 'termEndsAt'],
    [{ termEndsAt: 'tomorrow' }, 'termEndsAt'],
  ])('refuses %j with the failing field', (over, field) => {
    const e = given([]).when(add(over as Partial<AddSubscription['data']>)).thenFails('SUBSCRIPTION.INVALID', ValidationError);
    expect((e as ValidationError).fields.map((f) => f.field)).toContain(field);
  });

  it('accepts storage for a service licensed by seats and storage', () => {
    const r = validateNewSubscription({ ...add().data, serviceCode: 'cloud-backup-salesforce', unit: 'storage-gb', pooled: false }, NOW);
    expect(r.ok && r.snapshot.unit).toBe('storage-gb');
  });

  it('prefixes failing fields', () => {
    const r = validateNewSubscription({ ...add().data, quantity: -1, fieldPrefix: 'services[3].' }, NOW);
    expect(!r.ok && r.problems.map((p) => p.field)).toEqual(['services[3].quantity']);
  });
});

describe('subscription decider: editing (F11, F13)', () => {
  it('changes quantity, term end and renewal, carrying the state after the change', () => {
    given(stream(added))
      .when(edit({ quantity: 150, termEndsAt: '2027-06-01T00:00:00Z', autoRenew: true }))
      .then([{ type: 'SubscriptionChanged', data: { ...snapshot, quantity: 150, termEndsAt: '2027-06-01T00:00:00.000Z', autoRenew: true } }]);
  });

  it('records nothing when nothing changes', () => {
    given(stream(added)).when(edit({ quantity: 100 })).then([]);
  });

  it('needs at least one change', () => {
    given(stream(added)).when(edit({})).thenFails('SUBSCRIPTION.INVALID', ValidationError);
  });

  it("answers 404 for another partner's subscription and an unknown one", () => {
    given(stream(added)).when(edit({ quantity: 5 }, { partnerId: OTHER_PARTNER })).thenFails('SUBSCRIPTION.NOT_FOUND', NotFoundError);
    given([]).when(edit({ quantity: 5 })).thenFails('SUBSCRIPTION.NOT_FOUND', NotFoundError);
  });

  it('refuses to edit an expired subscription', () => {
    given(stream(added, { type: 'SubscriptionExpired', data: { subscriptionId: SUB, serviceCode: snapshot.serviceCode } }))
      .when(edit({ quantity: 5 }))
      .thenFails('SUBSCRIPTION.EXPIRED', ConflictError);
  });

  it('refuses a term end in the past', () => {
    given(stream(added)).when(edit({ termEndsAt: '2026-02-01T00:00:00Z' })).thenFails('SUBSCRIPTION.INVALID', ValidationError);
  });

  it('applies a batch edit once: the same batch again records nothing', () => {
    const changed: SubscriptionEvent = { type: 'SubscriptionChanged', data: { ...snapshot, quantity: 300, batchId: 'b1' } };
    given(stream(added)).when(edit({ quantity: 300 }, { batchId: 'b1' })).then([changed]);
    given(stream(added, changed)).when(edit({ quantity: 999 }, { batchId: 'b1' })).then([]);
    given(stream(added, changed)).when(edit({ quantity: 301 }, { batchId: 'b2' })).then([
      { type: 'SubscriptionChanged', data: { ...snapshot, quantity: 301, batchId: 'b2' } },
    ]);
  });
});

describe('subscription decider: term end (F11)', () => {
  const atEnd = new Date(snapshot.termEndsAt);
  const reach = (termEndsAt = snapshot.termEndsAt): SubscriptionCommand => ({ type: 'ReachTermEnd', data: { termEndsAt } });

  it('expires at the term end', () => {
    given(stream(added))
      .when(reach(), atEnd)
      .then([{ type: 'SubscriptionExpired', data: { subscriptionId: SUB, serviceCode: 'cloud-backup-m365' } }]);
  });

  it('does nothing before the term end, for a stale term end, or twice', () => {
    given(stream(added)).when(reach(), new Date(atEnd.getTime() - 1)).then([]);
    given(stream(added)).when(reach('2026-12-01T00:00:00.000Z'), atEnd).then([]);
    given(stream(added, { type: 'SubscriptionExpired', data: { subscriptionId: SUB, serviceCode: 'cloud-backup-m365' } }))
      .when(reach(), atEnd)
      .then([]);
  });

  it('renews a paid auto-renewing subscription for a term of the same length', () => {
    const renewing = stream({ type: 'ServicesAdded', data: { subscriptions: [{ ...snapshot, autoRenew: true }] } });
    given(renewing)
      .when(reach(), atEnd)
      .then([
        {
          type: 'SubscriptionRenewed',
          data: { ...snapshot, autoRenew: true, termStartsAt: '2027-01-01T00:00:00.000Z', termEndsAt: '2028-01-01T00:00:00.000Z' },
        },
      ]);
  });

  it('renews past a long outage up to a term end in the future', () => {
    const renewing = stream({ type: 'ServicesAdded', data: { subscriptions: [{ ...snapshot, autoRenew: true }] } });
    const d = decide(reach(), renewing.reduce(evolve, initialState), { now: new Date('2028-06-01T00:00:00Z') });
    expect(d.ok && d.value[0].type === 'SubscriptionRenewed' && d.value[0].data.termEndsAt).toBe('2028-12-31T00:00:00.000Z'); // terms of 365 days; 2028 is a leap year
  });
});
