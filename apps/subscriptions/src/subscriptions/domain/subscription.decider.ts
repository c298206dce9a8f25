import { ConflictError, err, ok, type Result } from '@platform/core';
import { catalogService, type QuantityUnit } from './service-catalog';
import type {
  Plan,
  ProvisioningStepPlan,
  SubscriptionEvent,
  SubscriptionSnapshot,
} from './subscription.events';
import {
  SubscriptionErrorCode,
  invalidSubscription,
  subscriptionExpired,
  subscriptionNotFound,
  type FieldProblem,
  type SubscriptionError,
} from './subscription.errors';

// ---------------------------------------------------------------------------------------------
// State

export type ProvisioningState = 'not-started' | 'in-progress' | 'started' | 'partially-completed' | 'failed';
export type StepStatus = 'pending' | 'succeeded' | 'failed';

export interface ProvisioningStepState extends ProvisioningStepPlan {
  status: StepStatus;
  errorCode?: string;
}

export interface ProvisioningStatus {
  state: ProvisioningState;
  provisioningId: string | null;
  steps: ProvisioningStepState[];
  errorCode: string | null;
}

export interface SubscriptionState {
  status: 'none' | 'active' | 'expired';
  subscription: SubscriptionSnapshot | null;
  customerId: string | null;
  partnerId: string | null;
  /** Batch edits (F13) already applied: a retried batch edit changes nothing. */
  appliedBatchIds: string[];
  provisioning: ProvisioningStatus;
}

export const initialState: SubscriptionState = Object.freeze({
  status: 'none',
  subscription: null,
  customerId: null,
  partnerId: null,
  appliedBatchIds: [],
  provisioning: { state: 'not-started', provisioningId: null, steps: [], errorCode: null },
}) as SubscriptionState;

export interface SubscriptionEventMetadata {
  partnerId?: string;
  customerId?: string;
}
export type SubscriptionEventEnvelope = SubscriptionEvent & { metadata?: SubscriptionEventMetadata };

const snapshotOf = (d: SubscriptionSnapshot): SubscriptionSnapshot => ({
  subscriptionId: d.subscriptionId,
  serviceCode: d.serviceCode,
  plan: d.plan,
  quantity: d.quantity,
  unit: d.unit,
  termStartsAt: d.termStartsAt,
  termEndsAt: d.termEndsAt,
  pooled: d.pooled,
  autoRenew: d.autoRenew,
});

export function evolve(state: SubscriptionState, event: SubscriptionEventEnvelope): SubscriptionState {
  switch (event.type) {
    case 'ServicesAdded':
      return {
        ...state,
        status: 'active',
        subscription: snapshotOf(event.data.subscriptions[0]),
        customerId: event.metadata?.customerId ?? state.customerId,
        partnerId: event.metadata?.partnerId ?? state.partnerId,
      };
    case 'SubscriptionChanged': {
      const batchId = event.data.batchId;
      return {
        ...state,
        subscription: snapshotOf(event.data),
        appliedBatchIds: batchId && !state.appliedBatchIds.includes(batchId) ? [...state.appliedBatchIds, batchId] : state.appliedBatchIds,
      };
    }
    case 'SubscriptionRenewed':
      return { ...state, subscription: snapshotOf(event.data) };
    case 'SubscriptionExpired':
      return { ...state, status: 'expired' };
    case 'ServiceProvisioningRequested':
      return {
        ...state,
        provisioning: {
          state: 'in-progress',
          provisioningId: event.data.provisioningId,
          steps: event.data.steps.map((s) => ({ code: s.code, required: s.required, status: 'pending' })),
          errorCode: null,
        },
      };
    case 'ProvisioningStepSucceeded':
    case 'ProvisioningStepFailed': {
      if (event.data.provisioningId !== state.provisioning.provisioningId) return state;
      const failed = event.type === 'ProvisioningStepFailed';
      return {
        ...state,
        provisioning: {
          ...state.provisioning,
          steps: state.provisioning.steps.map((s) =>
            s.code !== event.data.step
              ? s
              : { ...s, status: failed ? 'failed' : 'succeeded', ...(failed ? { errorCode: event.data.errorCode } : {}) },
          ),
        },
      };
    }
    case 'ServicesStarted':
      if (event.data.provisioningId !== state.provisioning.provisioningId) return state;
      return { ...state, provisioning: { ...state.provisioning, state: event.data.services[0].state } };
    case 'ServiceProvisioningFailed':
      if (event.data.provisioningId !== state.provisioning.provisioningId) return state;
      return { ...state, provisioning: { ...state.provisioning, state: 'failed', errorCode: event.data.errorCode } };
    default:
      return state;
  }
}

export const foldSubscription = (events: readonly SubscriptionEventEnvelope[]): SubscriptionState => events.reduce(evolve, initialState);

// ---------------------------------------------------------------------------------------------
// Rules

export const MAX_QUANTITY = 1_000_000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Longest paid term: five years. */
export const MAX_TERM_DAYS = 5 * 366;

const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function parseTime(value: unknown, field: string, problems: FieldProblem[]): number | undefined {
  if (typeof value !== 'string' || !ISO_UTC_RE.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push({ field, message: 'must be an ISO 8601 UTC date-time (…Z)' });
    return undefined;
  }
  return Date.parse(value);
}

function checkQuantity(quantity: unknown, field: string, problems: FieldProblem[]): void {
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    problems.push({ field, message: `must be an integer 1–${MAX_QUANTITY}` });
  }
}

/** Term rules shared by adding and editing: end after start and in the future, within the plan's longest term. */
function checkTerm(
  plan: Plan,
  startMs: number,
  endMs: number,
  now: Date,
  maxTrialDays: number,
  prefix: string,
  problems: FieldProblem[],
): void {
  if (endMs <= startMs) problems.push({ field: `${prefix}termEndsAt`, message: 'must be after termStartsAt' });
  else if (endMs <= now.getTime()) problems.push({ field: `${prefix}termEndsAt`, message: 'must be in the future' });
  const maxDays = plan === 'trial' ? maxTrialDays : MAX_TERM_DAYS;
  if (endMs - startMs > maxDays * DAY_MS) {
    problems.push({ field: `${prefix}termEndsAt`, message: `a ${plan} term lasts at most ${maxDays} days` });
  }
}

// ---------------------------------------------------------------------------------------------
// Commands (F10, F11, F13)

export interface AddSubscription {
  type: 'AddSubscription';
  data: {
    subscriptionId: string;
    serviceCode: string;
    plan: string;
    quantity: number;
    unit?: string;
    termStartsAt?: string;
    termEndsAt: string;
    pooled: boolean;
    autoRenew?: boolean;
    /** Prefix of failing field names (`services[2].`). */
    fieldPrefix?: string;
  };
}

export interface SubscriptionChanges {
  quantity?: number;
  termEndsAt?: string;
  autoRenew?: boolean;
}

export interface EditSubscription {
  type: 'EditSubscription';
  data: { partnerId: string; customerId: string; changes: SubscriptionChanges; batchId?: string };
}

/** The scheduler's command at the term end: expire, or renew when auto-renewal is on (paid only). */
export interface ReachTermEnd {
  type: 'ReachTermEnd';
  data: { termEndsAt: string };
}

export type SubscriptionCommand = AddSubscription | EditSubscription | ReachTermEnd;

export interface SubscriptionDecideContext {
  now: Date;
}

export type Decision = Result<SubscriptionEvent[], SubscriptionError>;

export function decide(command: SubscriptionCommand, state: SubscriptionState, context: SubscriptionDecideContext): Decision {
  switch (command.type) {
    case 'AddSubscription':
      return add(command, state, context);
    case 'EditSubscription':
      return edit(command, state, context);
    case 'ReachTermEnd':
      return reachTermEnd(command, state, context);
  }
}

/** Validates one service to add and returns its snapshot (or the failing fields). */
export function validateNewSubscription(
  c: AddSubscription['data'],
  now: Date,
): { ok: true; snapshot: SubscriptionSnapshot } | { ok: false; problems: FieldProblem[] } {
  const p = c.fieldPrefix ?? '';
  const problems: FieldProblem[] = [];
  const service = catalogService(c.serviceCode);
  if (!service) problems.push({ field: `${p}serviceCode`, message: 'must be a service of the catalogue' });
  if (c.plan !== 'trial' && c.plan !== 'paid') problems.push({ field: `${p}plan`, message: "must be 'trial' or 'paid'" });
  checkQuantity(c.quantity, `${p}quantity`, problems);
  const unit = (c.unit ?? service?.units[0]) as QuantityUnit | undefined;
  if (service && (unit === undefined || !service.units.includes(unit))) {
    problems.push({ field: `${p}unit`, message: `must be one of ${service.units.join(', ')} for this service` });
  }
  if (service && c.pooled && !service.poolable) problems.push({ field: `${p}pooled`, message: 'this service cannot be pooled' });
  const autoRenew = c.autoRenew ?? false;
  if (c.plan === 'trial' && autoRenew) problems.push({ field: `${p}autoRenew`, message: 'a trial does not renew' });
  const startMs = c.termStartsAt === undefined ? now.getTime() : parseTime(c.termStartsAt, `${p}termStartsAt`, problems);
  const endMs = parseTime(c.termEndsAt, `${p}termEndsAt`, problems);
  if (service && startMs !== undefined && endMs !== undefined && (c.plan === 'trial' || c.plan === 'paid')) {
    checkTerm(c.plan, startMs, endMs, now, service.maxTrialDays, p, problems);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    snapshot: {
      subscriptionId: c.subscriptionId,
      serviceCode: c.serviceCode,
      plan: c.plan as Plan,
      quantity: c.quantity,
      unit: unit as QuantityUnit,
      termStartsAt: new Date(startMs as number).toISOString(),
      termEndsAt: new Date(endMs as number).toISOString(),
      pooled: c.pooled,
      autoRenew,
    },
  };
}

function add(command: AddSubscription, state: SubscriptionState, context: SubscriptionDecideContext): Decision {
  if (state.status !== 'none') {
    return err(new ConflictError(SubscriptionErrorCode.ALREADY_EXISTS, 'A subscription with this id already exists.'));
  }
  const checked = validateNewSubscription(command.data, context.now);
  if (!checked.ok) return err(invalidSubscription(checked.problems));
  return ok([{ type: 'ServicesAdded', data: { subscriptions: [checked.snapshot] } }]);
}

/** The subscription exists and is the partner's customer's (another partner's reads as unknown). */
function checkOwner(state: SubscriptionState, partnerId: string, customerId: string): SubscriptionError | undefined {
  return state.status === 'none' || state.partnerId !== partnerId || state.customerId !== customerId ? subscriptionNotFound() : undefined;
}

function edit(command: EditSubscription, state: SubscriptionState, context: SubscriptionDecideContext): Decision {
  const c = command.data;
  const missing = checkOwner(state, c.partnerId, c.customerId);
  if (missing) return err(missing);
  // A batch edit retried after a crash: already applied, nothing more.
  if (c.batchId !== undefined && state.appliedBatchIds.includes(c.batchId)) return ok([]);
  if (state.status === 'expired') return err(subscriptionExpired());
  const current = state.subscription as SubscriptionSnapshot;
  const problems: FieldProblem[] = [];
  const { quantity, termEndsAt, autoRenew } = c.changes;
  if (quantity === undefined && termEndsAt === undefined && autoRenew === undefined) {
    problems.push({ field: 'changes', message: 'at least one of quantity, termEndsAt, autoRenew' });
  }
  if (quantity !== undefined) checkQuantity(quantity, 'quantity', problems);
  if (autoRenew !== undefined && typeof autoRenew !== 'boolean') problems.push({ field: 'autoRenew', message: 'must be a boolean' });
  if (autoRenew === true && current.plan === 'trial') problems.push({ field: 'autoRenew', message: 'a trial does not renew' });
  let endIso = current.termEndsAt;
  if (termEndsAt !== undefined) {
    const endMs = parseTime(termEndsAt, 'termEndsAt', problems);
    if (endMs !== undefined) {
      endIso = new Date(endMs).toISOString();
      const service = catalogService(current.serviceCode);
      checkTerm(current.plan, Date.parse(current.termStartsAt), endMs, context.now, service?.maxTrialDays ?? 30, '', problems);
    }
  }
  if (problems.length > 0) return err(invalidSubscription(problems));
  const next: SubscriptionSnapshot = {
    ...current,
    quantity: quantity ?? current.quantity,
    termEndsAt: endIso,
    autoRenew: autoRenew ?? current.autoRenew,
  };
  const unchanged = next.quantity === current.quantity && next.termEndsAt === current.termEndsAt && next.autoRenew === current.autoRenew;
  // Saving what is already there records nothing.
  if (unchanged) return ok([]);
  return ok([{ type: 'SubscriptionChanged', data: { ...next, ...(c.batchId !== undefined ? { batchId: c.batchId } : {}) } }]);
}

function reachTermEnd(command: ReachTermEnd, state: SubscriptionState, context: SubscriptionDecideContext): Decision {
  if (state.status !== 'active' || !state.subscription) return ok([]);
  const s = state.subscription;
  // The schedule row is stale (the term was edited since) or it is not time yet.
  if (s.termEndsAt !== command.data.termEndsAt || Date.parse(s.termEndsAt) > context.now.getTime()) return ok([]);
  if (s.autoRenew && s.plan === 'paid') {
    const length = Date.parse(s.termEndsAt) - Date.parse(s.termStartsAt);
    let end = Date.parse(s.termEndsAt) + length;
    // A scheduler that was down for longer than a term renews up to a term end in the future.
    while (end <= context.now.getTime()) end += length;
    return ok([
      {
        type: 'SubscriptionRenewed',
        data: { ...s, termStartsAt: new Date(end - length).toISOString(), termEndsAt: new Date(end).toISOString() },
      },
    ]);
  }
  return ok([{ type: 'SubscriptionExpired', data: { subscriptionId: s.subscriptionId, serviceCode: s.serviceCode } }]);
}
