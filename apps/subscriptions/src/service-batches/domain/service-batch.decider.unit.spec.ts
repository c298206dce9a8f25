import { CodedError } from '@platform/core';
import {
  batchCounts,
  BATCH_MAX_CUSTOMERS,
  decideServiceBatch,
  evolveServiceBatch,
  initialServiceBatchState,
  pendingCustomers,
  type ServiceBatch,
  type ServiceBatchCommand,
  type ServiceBatchEnvelope,
  type ServiceBatchState,
} from './service-batch.decider';
import { ServiceBatchErrorCode } from './service-batch.errors';
import type { ServiceBatchEvent } from './service-batch.events';

const PARTNER = '0192e5f0-0000-7000-8000-0000000000a1';
const OTHER_PARTNER = '0192e5f0-0000-7000-8000-0000000000b2';
const C1 = '0192e5f0-0000-7000-8000-000000000001';
const C2 = '0192e5f0-0000-7000-8000-000000000002';
const C3 = '0192e5f0-0000-7000-8000-000000000003';

const meta = { partnerId: PARTNER, occurredAt: '2026-03-01T10:00:00.000Z', correlationId: 'corr-1', actor: { id: 'user-1' } };
const started = (customerIds = [C1, C2, C3]): ServiceBatchEnvelope => ({
  type: 'ServiceBatchStarted',
  id: 'evt-start',
  data: { serviceCode: 'cloud-backup-m365', changes: { quantity: 300 }, customerIds },
  metadata: meta,
});
const fold = (events: ServiceBatchEnvelope[]): ServiceBatchState => events.reduce(evolveServiceBatch, initialServiceBatchState());
const decide = (command: ServiceBatchCommand, events: ServiceBatchEnvelope[]): ServiceBatchEvent[] => {
  const decision = decideServiceBatch(command, fold(events));
  if (!decision.ok) throw decision.error;
  return decision.value;
};
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    if (e instanceof CodedError) return e.code;
    throw e;
  }
  throw new Error('expected a coded error');
};
const record = (attempt: number, ...results: Array<[string, 'succeeded' | 'failed' | 'skipped', string?]>): ServiceBatchCommand => ({
  type: 'RecordCustomerResults',
  data: {
    attempt,
    results: results.map(([customerId, outcome, reason]) => ({
      customerId,
      outcome,
      ...(reason ? { reason } : {}),
      ...(outcome !== 'failed' ? { subscriptionId: `sub-${customerId.slice(-1)}` } : {}),
    })),
  },
});

describe('service batch decider (F13)', () => {
  describe('starting a batch', () => {
    it('records what is asked, normalised: ids lower-cased, the term end as UTC ISO', () => {
      expect(
        decide(
          {
            type: 'StartServiceBatch',
            data: { serviceCode: 'cloud-backup-m365', changes: { termEndsAt: '2027-01-01T01:00:00+01:00', autoRenew: false }, customerIds: [C1.toUpperCase(), C2] },
          },
          [],
        ),
      ).toEqual([
        {
          type: 'ServiceBatchStarted',
          data: { serviceCode: 'cloud-backup-m365', changes: { termEndsAt: '2027-01-01T00:00:00.000Z', autoRenew: false }, customerIds: [C1, C2] },
        },
      ]);
    });

    it.each([
      ['no customers', { customerIds: [] }, 'customerIds'],
      [`${BATCH_MAX_CUSTOMERS + 1} customers`, { customerIds: Array.from({ length: BATCH_MAX_CUSTOMERS + 1 }, (_, i) => `0192e5f0-0000-7000-8000-${String(i).padStart(12, '0')}`) }, 'customerIds'],
      ['a customer twice', { customerIds: [C1, C1.toUpperCase()] }, 'customerIds[1]'],
      ['a customer id that is no UUID', { customerIds: ['nope'] }, 'customerIds[0]'],
      ['no change at all', { changes: {} }, 'changes'],
      ['a quantity of 0', { changes: { quantity: 0 } }, 'changes.quantity'],
      ['a fractional quantity', { changes: { quantity: 1.5 } }, 'changes.quantity'],
      ['a term end that is no date', { changes: { termEndsAt: 'soon' } }, 'changes.termEndsAt'],
      ['an upper-case service code', { serviceCode: 'Cloud-Backup' }, 'serviceCode'],
    ])('refuses %s, naming the field', (_, override, field) => {
      const data = { serviceCode: 'cloud-backup-m365', changes: { quantity: 10 }, customerIds: [C1], ...override };
      const decision = decideServiceBatch({ type: 'StartServiceBatch', data }, initialServiceBatchState());
      expect(decision.ok).toBe(false);
      if (decision.ok) return;
      expect(decision.error.code).toBe(ServiceBatchErrorCode.INVALID);
      expect((decision.error.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toContain(field);
    });

    it('refuses to start the same batch twice', () => {
      expect(codeOf(() => decide({ type: 'StartServiceBatch', data: started().data as never }, [started()]))).toBe(ServiceBatchErrorCode.ALREADY_EXISTS);
    });
  });

  describe('recording per-customer results', () => {
    it('records each result of the current attempt and leaves the others pending', () => {
      expect(decide(record(1, [C1, 'succeeded'], [C2, 'failed', 'SUBSCRIPTION.NOT_FOUND']), [started()])).toEqual([
        { type: 'ServiceBatchCustomerSucceeded', data: { customerId: C1, attempt: 1, subscriptionId: 'sub-1' } },
        { type: 'ServiceBatchCustomerFailed', data: { customerId: C2, attempt: 1, reason: 'SUBSCRIPTION.NOT_FOUND' } },
      ]);
    });

    it('completes the batch with the counts when the last pending customer gets its result', () => {
      const given = [started(), ...decide(record(1, [C1, 'succeeded'], [C2, 'failed', 'CUSTOMER.NOT_FOUND']), [started()])];
      expect(decide(record(1, [C3, 'skipped', 'SUBSCRIPTION.NO_CHANGE']), given)).toEqual([
        { type: 'ServiceBatchCustomerSkipped', data: { customerId: C3, attempt: 1, reason: 'SUBSCRIPTION.NO_CHANGE', subscriptionId: 'sub-3' } },
        { type: 'ServiceBatchCompleted', data: { attempt: 1, succeeded: 1, failed: 1, skipped: 1 } },
      ]);
    });

    it('never records a customer twice: a repeated result (a resumed runner) changes nothing', () => {
      const given = [started(), ...decide(record(1, [C1, 'succeeded']), [started()])];
      expect(decide(record(1, [C1, 'failed', 'CUSTOMER.NOT_FOUND']), given)).toEqual([]);
      expect(decide(record(1, [C2, 'succeeded'], [C2, 'failed', 'X.Y']), given)).toEqual([
        { type: 'ServiceBatchCustomerSucceeded', data: { customerId: C2, attempt: 1, subscriptionId: 'sub-2' } },
      ]);
    });

    it('ignores customers outside the batch and results of another attempt', () => {
      expect(decide(record(1, ['0192e5f0-0000-7000-8000-00000000dead', 'succeeded']), [started()])).toEqual([]);
      expect(decide(record(2, [C1, 'succeeded']), [started()])).toEqual([]);
    });

    it('tracks progress: pending customers in request order and counts per outcome', () => {
      const state = fold([started(), ...decide(record(1, [C2, 'failed', 'CUSTOMER.NOT_FOUND']), [started()])]) as ServiceBatch;
      expect(pendingCustomers(state)).toEqual([C1, C3]);
      expect(batchCounts(state)).toEqual({ total: 3, done: 1, pending: 2, succeeded: 0, failed: 1, skipped: 0 });
      expect(state.results[C2]).toEqual({ outcome: 'failed', attempts: 1, reason: 'CUSTOMER.NOT_FOUND', subscriptionId: null, at: null });
      expect(state).toMatchObject({ status: 'running', partnerId: PARTNER, startedBy: 'user-1', attempt: 1, attemptCorrelationId: 'corr-1', attemptEventId: 'evt-start' });
    });
  });

  describe('retrying the failed customers', () => {
    const completedWithFailures = (): ServiceBatchEnvelope[] => {
      const first = [started(), ...decide(record(1, [C1, 'succeeded'], [C2, 'failed', 'SUBSCRIPTION.EXPIRED']), [started()])];
      return [...first, ...decide(record(1, [C3, 'failed', 'CUSTOMER.NOT_FOUND']), first)];
    };

    it('starts a new attempt with only the failed customers, then runs them to a new completion', () => {
      const given = completedWithFailures();
      expect((fold(given) as ServiceBatch).status).toBe('completed');
      const retry = decide({ type: 'RetryFailedCustomers', data: { partnerId: PARTNER } }, given);
      expect(retry).toEqual([{ type: 'ServiceBatchRetryStarted', data: { attempt: 2, customerIds: [C2, C3] } }]);

      const retrying = [...given, ...retry];
      expect(pendingCustomers(fold(retrying))).toEqual([C2, C3]);
      // Results of the first attempt no longer count; the succeeded customer is never run again.
      expect(decide(record(1, [C2, 'succeeded']), retrying)).toEqual([]);
      expect(decide(record(2, [C1, 'succeeded']), retrying)).toEqual([]);
      const after = decide(record(2, [C2, 'succeeded'], [C3, 'failed', 'CUSTOMER.NOT_FOUND']), retrying);
      expect(after.at(-1)).toEqual({ type: 'ServiceBatchCompleted', data: { attempt: 2, succeeded: 2, failed: 1, skipped: 0 } });
      const state = fold([...retrying, ...after]) as ServiceBatch;
      expect(state.results[C2]).toMatchObject({ outcome: 'succeeded', attempts: 2, reason: null });
      expect(state.results[C1]).toMatchObject({ outcome: 'succeeded', attempts: 1 });
    });

    it('refuses while the batch runs, when nothing failed, and for another partner (as if unknown)', () => {
      const retry = (partnerId: string, events: ServiceBatchEnvelope[]) => () => decide({ type: 'RetryFailedCustomers', data: { partnerId } }, events);
      expect(codeOf(retry(PARTNER, [started()]))).toBe(ServiceBatchErrorCode.RUNNING);
      const allGood = [started([C1]), ...decide(record(1, [C1, 'succeeded']), [started([C1])])];
      expect(codeOf(retry(PARTNER, allGood))).toBe(ServiceBatchErrorCode.NOTHING_TO_RETRY);
      expect(codeOf(retry(OTHER_PARTNER, completedWithFailures()))).toBe(ServiceBatchErrorCode.NOT_FOUND);
      expect(codeOf(retry(PARTNER, []))).toBe(ServiceBatchErrorCode.NOT_FOUND);
    });
  });
});
