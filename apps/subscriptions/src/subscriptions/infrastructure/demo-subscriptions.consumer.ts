import { createHash } from 'node:crypto';
import { CodedError, deterministicUuid } from '@platform/core';
import type { IntegrationEvent } from '@platform/contracts';
import type { EventMetadata } from '@platform/event-store';
import type { InboxEffect } from '@platform/messaging';
import { DEMO_PARTNER_ID } from '@platform/service-kit';
import { decideProvisioning } from '../domain/provisioning.decider';
import { validateNewSubscription, type AddSubscription } from '../domain/subscription.decider';
import type { SubscriptionCommandRunner } from './subscription-command-runner';

export const DEMO_SUBSCRIPTIONS_GROUP = 'subscriptions.demo-data';

const DAY = 24 * 60 * 60 * 1000;

export interface DemoSubscription {
  serviceCode: string;
  plan: 'trial' | 'paid';
  quantity: number;
  unit?: 'seats' | 'storage-gb';
  /** Days relative to the customer's acceptance. */
  startDay: number;
  endDay: number;
  pooled: boolean;
  autoRenew: boolean;
  start: boolean;
}

/**
 * A realistic, deterministic mix per demo customer (from its id): most have Cloud Backup for
 * Microsoft 365 (pooled, renewing, started); some Google Workspace, IaaS + PaaS storage,
 * a Policies trial, a Risk insights trial that already ended (the scheduler expires it).
 */
export function demoSubscriptionsFor(customerId: string): DemoSubscription[] {
  const h = createHash('sha256').update(customerId).digest();
  const out: DemoSubscription[] = [];
  if (h[0] % 5 !== 0) {
    out.push({ serviceCode: 'cloud-backup-m365', plan: 'paid', quantity: 25 + (h[1] % 20) * 25, startDay: -200, endDay: 165, pooled: true, autoRenew: true, start: h[2] % 3 !== 0 });
  } else {
    out.push({ serviceCode: 'cloud-backup-google', plan: 'paid', quantity: 10 + (h[1] % 10) * 10, startDay: -90, endDay: 275, pooled: true, autoRenew: false, start: true });
  }
  if (h[3] % 3 === 0) {
    out.push({ serviceCode: 'cloud-backup-iaas-paas', plan: 'paid', quantity: 500 + (h[4] % 10) * 250, unit: 'storage-gb', startDay: -30, endDay: 335, pooled: false, autoRenew: true, start: h[5] % 2 === 0 });
  }
  if (h[6] % 4 === 0) {
    out.push({ serviceCode: 'policies-m365', plan: 'trial', quantity: 50, startDay: -20, endDay: 10, pooled: false, autoRenew: false, start: false });
  }
  if (h[7] % 4 === 1) {
    out.push({ serviceCode: 'risk-insights', plan: 'trial', quantity: 25, startDay: -20, endDay: -6, pooled: false, autoRenew: false, start: false });
  }
  return out;
}

/**
 * Embedded demo: when one of the demo partner's customers becomes active, it gets its mix of
 * subscriptions (and starts some of them). Ids, times and event ids derive from the customer and
 * the acceptance event, so a redelivery writes nothing new.
 */
// Appends through the event store: runs before the inbox transaction (InboxEffect), not inside it.
export function demoSubscriptionsHandler(runner: SubscriptionCommandRunner): InboxEffect {
  return async (event: IntegrationEvent) => {
    if (event.type !== 'InvitationAccepted' || event.partnerId !== DEMO_PARTNER_ID) return;
    const customerId = event.subject;
    const base = Date.parse(event.time);
    const metadata: EventMetadata = {
      partnerId: event.partnerId,
      customerId,
      occurredAt: event.time,
      correlationId: event.correlationId,
      causationId: event.id,
      actor: { type: 'system', id: 'subscriptions.demo-data' },
    };
    for (const demo of demoSubscriptionsFor(customerId)) {
      const subscriptionId = deterministicUuid('demo-subscription', customerId, demo.serviceCode);
      const data: AddSubscription['data'] = {
        subscriptionId,
        serviceCode: demo.serviceCode,
        plan: demo.plan,
        quantity: demo.quantity,
        ...(demo.unit ? { unit: demo.unit } : {}),
        termStartsAt: new Date(base + demo.startDay * DAY).toISOString(),
        termEndsAt: new Date(base + demo.endDay * DAY).toISOString(),
        pooled: demo.pooled,
        autoRenew: demo.autoRenew,
      };
      // Checked as of its term start: a term that already ended is expired by the scheduler.
      const checked = validateNewSubscription(data, new Date(base + demo.startDay * DAY));
      if (!checked.ok) throw new Error(`demo subscription ${demo.serviceCode} is invalid: ${JSON.stringify(checked.problems)}`);
      let loaded = await runner.load(subscriptionId);
      if (loaded.state.status === 'none') {
        try {
          await runner.append(loaded, [{ type: 'ServicesAdded', data: { subscriptions: [checked.snapshot] } }], metadata, {
            eventIds: () => deterministicUuid('demo-subscription-added', subscriptionId),
          });
        } catch (e) {
          // Written meanwhile by another delivery of the same event: what is there is the same.
          if (!(e instanceof CodedError && e.code === 'SUBSCRIPTION.CONCURRENT_UPDATE')) throw e;
        }
        loaded = await runner.load(subscriptionId);
      }
      if (!demo.start || demo.endDay <= 0) continue;
      const provisioningId = deterministicUuid('demo-provisioning', subscriptionId);
      const decision = decideProvisioning({ type: 'RequestProvisioning', data: { provisioningId } }, loaded.state);
      if (!decision.ok || decision.value.length === 0) continue;
      await runner.append(loaded, decision.value, metadata, { eventIds: () => deterministicUuid('demo-provisioning-requested', subscriptionId) });
    }
  };
}
