import { ConflictError, err, ok, type CodedError, type Result } from '@platform/core';
import {
  checkCustomerOf,
  checkPartnerManaged,
  evolve as evolveCustomer,
  initialState as initialCustomerState,
  type CustomerEventEnvelope,
  type CustomerState,
} from '../../customers/domain/customer.decider';
import type { CustomerAccessSessionOpened } from '../../customers/domain/customer.events';
import type { AccessSessionEnded, AccessSessionStarted, PartnerUserEvent } from '../../partner-users/domain/partner-user.events';

/**
 * F8 delegated access to a customer's service environment, decided in two places:
 * - on the customer's stream, whether this partner user may open the customer's environment
 *   now (its partner's, connected, active, partner-managed), recording each access there so the
 *   customer's history shows it;
 * - on the user's `partneruser-<userId>` stream, the user's one open session: starting a new one
 *   ends the others (the seeds: "any other open customer environment will time out").
 * Both decisions are idempotent on the session id, so a retried request re-issues the same
 * session instead of opening a second one.
 */

/** Short-lived on purpose: the token opens a customer's environment with the partner's rights. */
export const ACCESS_SESSION_TTL_MS = 15 * 60 * 1000;

export const AccessSessionErrorCode = {
  CUSTOMER_NOT_ACTIVE: 'CUSTOMER.NOT_ACTIVE',
  SESSION_ID_REUSED: 'ACCESS_SESSION.ID_REUSED',
} as const;

// ---------------------------------------------------------------------------------------------
// Customer side

export type CustomerAccessState = {
  customer: CustomerState;
  /** Sessions recorded on the customer's stream, by id. */
  sessions: Readonly<Record<string, { userId: string; expiresAt: string }>>;
};

export const initialCustomerAccessState = (): CustomerAccessState => ({ customer: initialCustomerState, sessions: {} });

export function evolveCustomerAccess(state: CustomerAccessState, event: CustomerEventEnvelope): CustomerAccessState {
  const customer = evolveCustomer(state.customer, event);
  if (event.type === 'CustomerAccessSessionOpened') {
    const { sessionId, userId, expiresAt } = event.data;
    return { customer, sessions: { ...state.sessions, [sessionId]: { userId, expiresAt } } };
  }
  return customer === state.customer ? state : { ...state, customer };
}

export type OpenCustomerAccessSession = {
  type: 'OpenCustomerAccessSession';
  data: { partnerId: string; userId: string; sessionId: string; expiresAt: string };
};

export type CustomerAccessDecision = Result<CustomerAccessSessionOpened[], CodedError>;

export function decideCustomerAccess(command: OpenCustomerAccessSession, state: CustomerAccessState): CustomerAccessDecision {
  const c = command.data;
  const gone = checkCustomerOf(state.customer, c.partnerId);
  if (gone) return err(gone);
  const recorded = state.sessions[c.sessionId];
  if (recorded) {
    // The same request again (its session id is derived from the request): already recorded.
    return recorded.userId === c.userId
      ? ok([])
      : err(new ConflictError(AccessSessionErrorCode.SESSION_ID_REUSED, 'This session id belongs to another user.'));
  }
  const managed = checkPartnerManaged(state.customer);
  if (managed) return err(managed);
  if (state.customer.status !== 'active') {
    return err(
      new ConflictError(
        AccessSessionErrorCode.CUSTOMER_NOT_ACTIVE,
        'The customer has not accepted its invitation: there is no environment to open yet.',
        { status: state.customer.status },
      ),
    );
  }
  return ok([{ type: 'CustomerAccessSessionOpened', data: { sessionId: c.sessionId, userId: c.userId, expiresAt: c.expiresAt } }]);
}

export const customerAccessDecider = {
  initialState: initialCustomerAccessState,
  evolve: evolveCustomerAccess,
  decide: decideCustomerAccess,
};

// ---------------------------------------------------------------------------------------------
// User side

export type UserSessionsState = {
  /** The user's sessions not ended yet, by id (at most one after any decision of this decider). */
  open: Readonly<Record<string, { customerId: string; expiresAt: string }>>;
  /** Every session id ever started: a retried start is recognised even after the session ended. */
  started: readonly string[];
};

export const initialUserSessionsState = (): UserSessionsState => ({ open: {}, started: [] });

export function evolveUserSessions(state: UserSessionsState, event: { type: string; data: unknown }): UserSessionsState {
  const e = event as PartnerUserEvent;
  switch (e.type) {
    case 'AccessSessionStarted':
      return {
        open: { ...state.open, [e.data.sessionId]: { customerId: e.data.customerId, expiresAt: e.data.expiresAt } },
        started: [...state.started, e.data.sessionId],
      };
    case 'AccessSessionEnded': {
      const { [e.data.sessionId]: _ended, ...open } = state.open;
      return { ...state, open };
    }
    default:
      return state;
  }
}

export type StartAccessSession = {
  type: 'StartAccessSession';
  data: { sessionId: string; customerId: string; expiresAt: string; now: Date };
};

export type UserSessionsDecision = Result<Array<AccessSessionStarted | AccessSessionEnded>, CodedError>;

export function decideUserSessions(command: StartAccessSession, state: UserSessionsState): UserSessionsDecision {
  const c = command.data;
  if (state.started.includes(c.sessionId)) return ok([]);
  // Every other open session ends now; one that ran out on its own is recorded as expired.
  const ended: AccessSessionEnded[] = Object.entries(state.open).map(([sessionId, s]) => ({
    type: 'AccessSessionEnded',
    data: {
      sessionId,
      customerId: s.customerId,
      reason: Date.parse(s.expiresAt) <= c.now.getTime() ? 'expired' : 'superseded',
    },
  }));
  return ok([...ended, { type: 'AccessSessionStarted', data: { sessionId: c.sessionId, customerId: c.customerId, expiresAt: c.expiresAt } }]);
}

export type EndCustomerAccessSessions = {
  type: 'EndCustomerAccessSessions';
  data: { customerId: string; reason: 'customer-managed' | 'customer-disconnected'; now: Date };
};

/**
 * The customer took its tenant back (F3) or was disconnected (F6): the user's open sessions on
 * it end now (one that had run out already is recorded as expired). Nothing when none is open.
 */
export function decideEndCustomerSessions(command: EndCustomerAccessSessions, state: UserSessionsState): AccessSessionEnded[] {
  const c = command.data;
  return Object.entries(state.open)
    .filter(([, s]) => s.customerId === c.customerId)
    .map(([sessionId, s]) => ({
      type: 'AccessSessionEnded',
      data: { sessionId, customerId: c.customerId, reason: Date.parse(s.expiresAt) <= c.now.getTime() ? 'expired' : c.reason },
    }));
}

export const userSessionsDecider = {
  initialState: initialUserSessionsState,
  evolve: evolveUserSessions,
  decide: decideUserSessions,
};

/** When a session opened now ends by itself, in whole seconds (the token's `exp` says the same). */
export const accessSessionExpiry = (now: Date, ttlMs: number = ACCESS_SESSION_TTL_MS): string =>
  new Date(Math.floor((now.getTime() + ttlMs) / 1000) * 1000).toISOString();
