import { err, isUuid, ok, type CodedError, type Result } from '@platform/core';
import {
  nothingToRetry,
  serviceBatchAlreadyExists,
  serviceBatchNotFound,
  serviceBatchRunning,
  ServiceBatchValidationError,
  type FieldProblem,
} from './service-batch.errors';
import type { CustomerOutcome, ServiceBatchChanges, ServiceBatchCustomerResultEvent, ServiceBatchEvent } from './service-batch.events';

/** F13: one batch edits one pooled service for at most this many customers. */
export const BATCH_MAX_CUSTOMERS = 20;
export const QUANTITY_MAX = 1_000_000;
export const SERVICE_CODE_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const SERVICE_CODE_MAX = 64;

/** One customer's line: `pending` until the current attempt records its result. */
export interface CustomerResultState {
  outcome: 'pending' | CustomerOutcome;
  /** Results recorded for this customer so far (a retried customer has more than one). */
  attempts: number;
  reason: string | null;
  subscriptionId: string | null;
  /** When the last result was recorded. */
  at: string | null;
}

export type ServiceBatch = {
  status: 'running' | 'completed';
  partnerId: string;
  serviceCode: string;
  changes: ServiceBatchChanges;
  /** In request order: progress and reports list customers in this order. */
  customerIds: string[];
  /** 1 for the first run, n + 1 after the n-th retry of the failed customers. */
  attempt: number;
  results: Record<string, CustomerResultState>;
  startedAt: string | null;
  startedBy: string | null;
  completedAt: string | null;
  /** Metadata of the event that started the current attempt (the runner's correlation and causation). */
  attemptCorrelationId: string | null;
  attemptEventId: string | null;
  /** Who started the current attempt (the batch, or its retry): the actor of the edits it makes. */
  attemptActorId: string | null;
};

export type ServiceBatchState = { status: 'none' } | ServiceBatch;

export const initialServiceBatchState = (): ServiceBatchState => ({ status: 'none' });

/** Recorded events carry id, partner, time and actor in their envelope. */
export type ServiceBatchEnvelope = ServiceBatchEvent & {
  id?: string;
  metadata?: { partnerId?: string; occurredAt?: string; correlationId?: string; actor?: { id: string } };
};

function withResult(state: ServiceBatch, event: ServiceBatchCustomerResultEvent & ServiceBatchEnvelope): ServiceBatch {
  const { customerId } = event.data;
  const before = state.results[customerId];
  if (!before) return state;
  const outcome: CustomerOutcome =
    event.type === 'ServiceBatchCustomerSucceeded' ? 'succeeded' : event.type === 'ServiceBatchCustomerSkipped' ? 'skipped' : 'failed';
  return {
    ...state,
    results: {
      ...state.results,
      [customerId]: {
        outcome,
        attempts: before.attempts + 1,
        reason: 'reason' in event.data ? event.data.reason : null,
        subscriptionId: 'subscriptionId' in event.data ? event.data.subscriptionId : before.subscriptionId,
        at: event.metadata?.occurredAt ?? null,
      },
    },
  };
}

export function evolveServiceBatch(state: ServiceBatchState, event: ServiceBatchEnvelope): ServiceBatchState {
  switch (event.type) {
    case 'ServiceBatchStarted': {
      const results: Record<string, CustomerResultState> = {};
      for (const id of event.data.customerIds) results[id] = { outcome: 'pending', attempts: 0, reason: null, subscriptionId: null, at: null };
      return {
        status: 'running',
        partnerId: event.metadata?.partnerId ?? '',
        serviceCode: event.data.serviceCode,
        changes: event.data.changes,
        customerIds: [...event.data.customerIds],
        attempt: 1,
        results,
        startedAt: event.metadata?.occurredAt ?? null,
        startedBy: event.metadata?.actor?.id ?? null,
        completedAt: null,
        attemptCorrelationId: event.metadata?.correlationId ?? null,
        attemptEventId: event.id ?? null,
        attemptActorId: event.metadata?.actor?.id ?? null,
      };
    }
    case 'ServiceBatchCustomerSucceeded':
    case 'ServiceBatchCustomerSkipped':
    case 'ServiceBatchCustomerFailed':
      return state.status === 'none' ? state : withResult(state, event);
    case 'ServiceBatchRetryStarted': {
      if (state.status === 'none') return state;
      const results = { ...state.results };
      for (const id of event.data.customerIds) {
        const before = results[id];
        if (before) results[id] = { ...before, outcome: 'pending' };
      }
      return {
        ...state,
        status: 'running',
        attempt: event.data.attempt,
        results,
        completedAt: null,
        attemptCorrelationId: event.metadata?.correlationId ?? state.attemptCorrelationId,
        attemptEventId: event.id ?? state.attemptEventId,
        attemptActorId: event.metadata?.actor?.id ?? state.attemptActorId,
      };
    }
    case 'ServiceBatchCompleted':
      return state.status === 'none' ? state : { ...state, status: 'completed', completedAt: event.metadata?.occurredAt ?? null };
    default:
      return state;
  }
}

export type StartServiceBatch = {
  type: 'StartServiceBatch';
  data: { serviceCode: string; changes: ServiceBatchChanges; customerIds: string[] };
};

/** One customer's answer from the subscriptions side, as the runner got it. */
export interface CustomerResultInput {
  customerId: string;
  outcome: CustomerOutcome;
  reason?: string;
  subscriptionId?: string;
}

/** The runner records the results of the current attempt (results of another attempt are ignored). */
export type RecordCustomerResults = {
  type: 'RecordCustomerResults';
  data: { attempt: number; results: CustomerResultInput[] };
};

export type RetryFailedCustomers = { type: 'RetryFailedCustomers'; data: { partnerId: string } };

export type ServiceBatchCommand = StartServiceBatch | RecordCustomerResults | RetryFailedCustomers;

export type ServiceBatchDecision = Result<ServiceBatchEvent[], CodedError>;

/** Checks and normalises what a batch asks for (the request DTO checks the same shape). */
export function normalizeBatchRequest(
  data: StartServiceBatch['data'],
): Result<StartServiceBatch['data'], ServiceBatchValidationError> {
  const problems: FieldProblem[] = [];
  const serviceCode = typeof data.serviceCode === 'string' ? data.serviceCode.trim() : '';
  if (serviceCode.length === 0 || serviceCode.length > SERVICE_CODE_MAX || !SERVICE_CODE_PATTERN.test(serviceCode)) {
    problems.push({ field: 'serviceCode', message: `must be a catalogue code (lower-case letters, digits and '-', at most ${SERVICE_CODE_MAX})` });
  }
  const ids = Array.isArray(data.customerIds) ? data.customerIds : [];
  if (ids.length === 0 || ids.length > BATCH_MAX_CUSTOMERS) {
    problems.push({ field: 'customerIds', message: `must list 1–${BATCH_MAX_CUSTOMERS} customers` });
  }
  const customerIds: string[] = [];
  ids.forEach((id, i) => {
    if (!isUuid(id)) problems.push({ field: `customerIds[${i}]`, message: 'must be a UUID' });
    else if (customerIds.includes(id.toLowerCase())) problems.push({ field: `customerIds[${i}]`, message: 'is listed twice' });
    else customerIds.push(id.toLowerCase());
  });
  const c = data.changes ?? {};
  const changes: ServiceBatchChanges = {};
  if (c.quantity !== undefined) {
    if (!Number.isSafeInteger(c.quantity) || c.quantity < 1 || c.quantity > QUANTITY_MAX) {
      problems.push({ field: 'changes.quantity', message: `must be an integer from 1 to ${QUANTITY_MAX}` });
    } else changes.quantity = c.quantity;
  }
  if (c.termEndsAt !== undefined) {
    const at = typeof c.termEndsAt === 'string' ? new Date(c.termEndsAt) : new Date(NaN);
    if (Number.isNaN(at.getTime())) problems.push({ field: 'changes.termEndsAt', message: 'must be an ISO 8601 date-time' });
    else changes.termEndsAt = at.toISOString();
  }
  if (c.autoRenew !== undefined) {
    if (typeof c.autoRenew !== 'boolean') problems.push({ field: 'changes.autoRenew', message: 'must be a boolean' });
    else changes.autoRenew = c.autoRenew;
  }
  if (c.quantity === undefined && c.termEndsAt === undefined && c.autoRenew === undefined) {
    problems.push({ field: 'changes', message: 'must change at least one of quantity, termEndsAt, autoRenew' });
  }
  if (problems.length > 0) return err(new ServiceBatchValidationError(problems));
  return ok({ serviceCode, changes, customerIds });
}

/** Customers of the current attempt still waiting for their result, in request order. */
export function pendingCustomers(state: ServiceBatchState): string[] {
  if (state.status !== 'running') return [];
  return state.customerIds.filter((id) => state.results[id]?.outcome === 'pending');
}

export interface BatchCounts {
  total: number;
  done: number;
  pending: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

export function batchCounts(batch: ServiceBatch): BatchCounts {
  const counts: BatchCounts = { total: batch.customerIds.length, done: 0, pending: 0, succeeded: 0, failed: 0, skipped: 0 };
  for (const id of batch.customerIds) {
    const outcome = batch.results[id].outcome;
    if (outcome === 'pending') counts.pending++;
    else {
      counts.done++;
      counts[outcome]++;
    }
  }
  return counts;
}

function resultEvent(r: CustomerResultInput, attempt: number): ServiceBatchCustomerResultEvent {
  switch (r.outcome) {
    case 'succeeded':
      return { type: 'ServiceBatchCustomerSucceeded', data: { customerId: r.customerId, attempt, subscriptionId: r.subscriptionId ?? null } };
    case 'skipped':
      return {
        type: 'ServiceBatchCustomerSkipped',
        data: { customerId: r.customerId, attempt, reason: r.reason ?? 'SUBSCRIPTION.NO_CHANGE', subscriptionId: r.subscriptionId ?? null },
      };
    case 'failed':
      return { type: 'ServiceBatchCustomerFailed', data: { customerId: r.customerId, attempt, reason: r.reason ?? 'SERVICE_BATCH.EDIT_ERROR' } };
  }
}

export function decideServiceBatch(command: ServiceBatchCommand, state: ServiceBatchState): ServiceBatchDecision {
  switch (command.type) {
    case 'StartServiceBatch': {
      if (state.status !== 'none') return err(serviceBatchAlreadyExists());
      const normalized = normalizeBatchRequest(command.data);
      if (!normalized.ok) return normalized;
      return ok([{ type: 'ServiceBatchStarted', data: normalized.value }]);
    }
    case 'RecordCustomerResults': {
      // The runner may repeat itself after a crash or a lost race: what is recorded stays.
      if (state.status !== 'running' || command.data.attempt !== state.attempt) return ok([]);
      const recorded = new Set<string>();
      const events: ServiceBatchEvent[] = [];
      for (const r of command.data.results) {
        if (state.results[r.customerId]?.outcome !== 'pending' || recorded.has(r.customerId)) continue;
        recorded.add(r.customerId);
        events.push(resultEvent(r, state.attempt));
      }
      const stillPending = pendingCustomers(state).filter((id) => !recorded.has(id));
      if (events.length > 0 && stillPending.length === 0) {
        const after = events.reduce<ServiceBatchState>((s, e) => evolveServiceBatch(s, e), state) as ServiceBatch;
        const { succeeded, failed, skipped } = batchCounts(after);
        events.push({ type: 'ServiceBatchCompleted', data: { attempt: state.attempt, succeeded, failed, skipped } });
      }
      return ok(events);
    }
    case 'RetryFailedCustomers': {
      const batch = batchOf(state, command.data.partnerId);
      if (!batch.ok) return batch;
      if (batch.value.status === 'running') return err(serviceBatchRunning());
      const failed = batch.value.customerIds.filter((id) => batch.value.results[id].outcome === 'failed');
      if (failed.length === 0) return err(nothingToRetry());
      return ok([{ type: 'ServiceBatchRetryStarted', data: { attempt: batch.value.attempt + 1, customerIds: failed } }]);
    }
  }
}

export const serviceBatchDecider = {
  initialState: initialServiceBatchState,
  evolve: evolveServiceBatch,
  decide: decideServiceBatch,
};

/** The batch as the partner may see it: another partner's batch is "not found", like an unknown id. */
export function batchOf(state: ServiceBatchState, partnerId: string): Result<ServiceBatch, CodedError> {
  return state.status !== 'none' && state.partnerId === partnerId ? ok(state) : err(serviceBatchNotFound());
}
