import { FakeClock } from '@platform/core';
import { sourceOf, type IntegrationEvent } from '@platform/contracts';
import { InMemoryEventStore } from '@platform/event-store';
import { DEMO_PARTNER_ID } from '@platform/service-kit';
import { demoSubscriptionsFor, demoSubscriptionsHandler } from './demo-subscriptions.consumer';
import { SubscriptionCommandRunner } from './subscription-command-runner';

const accepted = (customerId: string, partnerId = DEMO_PARTNER_ID): IntegrationEvent =>
  ({
    id: `01936a2f-0000-7000-8000-${customerId.slice(-12)}`,
    type: 'InvitationAccepted',
    version: 1,
    source: sourceOf('customers'),
    time: '2026-03-01T10:00:00.000Z',
    subject: customerId,
    partnerId,
    correlationId: '01936a2f-0000-7000-8000-0000000000d1',
    actor: { type: 'customer', id: 'c' },
    data: { accountType: 'microsoft365-global-admin' },
  }) as IntegrationEvent;

const ctx = { consumer: 'subscriptions.demo-data', topic: 'customers.events.v1', partition: 0, offset: '0', attempt: 1 };

describe('demo subscriptions (embedded)', () => {
  const customers = Array.from({ length: 40 }, (_, i) => `0192e5f0-0000-7000-8000-${String(i + 1).padStart(12, '0')}`);

  it('gives the demo customers a realistic mix', () => {
    const mixes = customers.map(demoSubscriptionsFor);
    const codes = new Set(mixes.flat().map((s) => s.serviceCode));
    expect([...codes].sort()).toEqual(['cloud-backup-google', 'cloud-backup-iaas-paas', 'cloud-backup-m365', 'policies-m365', 'risk-insights']);
    expect(mixes.every((m) => m.length >= 1)).toBe(true);
    expect(mixes.some((m) => m.some((s) => s.endDay < 0))).toBe(true);
  });

  it('writes them once per customer (deterministic ids), and nothing for other partners', async () => {
    const store = new InMemoryEventStore();
    const handler = demoSubscriptionsHandler(new SubscriptionCommandRunner(store, new FakeClock(new Date('2026-03-01T10:00:00.000Z'))));
    for (const c of customers.slice(0, 10)) await handler(accepted(c), ctx);
    const first = store.events.length;
    expect(first).toBeGreaterThanOrEqual(10);
    expect(store.events.filter((e) => e.type === 'ServicesAdded')).toHaveLength(customers.slice(0, 10).flatMap(demoSubscriptionsFor).length);
    for (const c of customers.slice(0, 10)) await handler(accepted(c), ctx);
    expect(store.events.length).toBe(first);
    await handler(accepted(customers[11], '01936a2f-0000-7000-8000-00000000ffff'), ctx);
    expect(store.events.length).toBe(first);
  });
});
