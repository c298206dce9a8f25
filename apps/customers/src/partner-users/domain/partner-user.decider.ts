import { err, ok, type CodedError, type Result } from '@platform/core';
import { checkCustomerOf, type CustomerState } from '../../customers/domain/customer.decider';
import { PreferencesValidationError, pinLimitReached, type FieldProblem } from './partner-user.errors';
import type { PartnerUserEvent } from './partner-user.events';
import { isListColumn, LIST_COLUMNS } from './list-columns';

/**
 * Decider of a partner user's own settings (F4 pins, F9 column preferences) on the
 * `partneruser-<userId>` stream. Pinning and unpinning are idempotent: asking for the state the
 * user is already in decides nothing, so a repeated PUT/DELETE answers the same and writes nothing.
 */

/** A dashboard shows a handful of customers; the cap keeps the stream and the pinned list small. */
export const MAX_PINNED_CUSTOMERS = 100;

export type PartnerUserState = {
  /** Pinned customer ids, oldest pin first. */
  pinned: string[];
  /** `undefined` until the user saves a choice (the list then shows its default columns). */
  columns: string[] | undefined;
  /** ISO 8601 UTC of the last saved choice (from the event's metadata). */
  columnsSavedAt: string | undefined;
};

export const initialPartnerUserState = (): PartnerUserState => ({ pinned: [], columns: undefined, columnsSavedAt: undefined });

/** The customer as folded from its stream by the handler (`initialState` when there is no such stream). */
export type PinTarget = CustomerState;

export type PinCustomer = {
  type: 'PinCustomer';
  data: { customerId: string; actorPartnerId: string; customer: PinTarget };
};
export type UnpinCustomer = {
  type: 'UnpinCustomer';
  data: { customerId: string; actorPartnerId: string; customer: PinTarget };
};
export type SaveColumnPreferences = { type: 'SaveColumnPreferences'; data: { columns: string[] } };

export type PartnerUserCommand = PinCustomer | UnpinCustomer | SaveColumnPreferences;

export function evolvePartnerUser(
  state: PartnerUserState,
  event: { type: string; data: unknown; metadata?: { occurredAt?: string } },
): PartnerUserState {
  const e = event as PartnerUserEvent;
  switch (e.type) {
    case 'CustomerPinned':
      return state.pinned.includes(e.data.customerId) ? state : { ...state, pinned: [...state.pinned, e.data.customerId] };
    case 'CustomerUnpinned':
      return { ...state, pinned: state.pinned.filter((id) => id !== e.data.customerId) };
    case 'ColumnPreferencesSaved':
      return { ...state, columns: [...e.data.columns], columnsSavedAt: event.metadata?.occurredAt ?? state.columnsSavedAt };
    default:
      // Access-session events share the stream; they do not change pins or columns.
      return state;
  }
}

export function checkColumns(columns: readonly string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (columns.length === 0) problems.push({ field: 'columns', message: 'choose at least one column' });
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (!isListColumn(c)) problems.push({ field: `columns[${i}]`, message: `must be one of ${LIST_COLUMNS.join(', ')}` });
    else if (seen.has(c)) problems.push({ field: `columns[${i}]`, message: `${c} is listed twice` });
    seen.add(c);
  });
  return problems;
}

const sameColumns = (a: readonly string[] | undefined, b: readonly string[]): boolean =>
  a !== undefined && a.length === b.length && a.every((c, i) => c === b[i]);

export type PartnerUserDecision = Result<PartnerUserEvent[], CodedError>;

export function decidePartnerUser(command: PartnerUserCommand, state: PartnerUserState): PartnerUserDecision {
  switch (command.type) {
    case 'PinCustomer': {
      const { customerId, actorPartnerId, customer } = command.data;
      // Unknown, another partner's and disconnected customers are all "not found" (tenant isolation).
      const gone = checkCustomerOf(customer, actorPartnerId);
      if (gone) return err(gone);
      if (state.pinned.includes(customerId)) return ok([]);
      if (state.pinned.length >= MAX_PINNED_CUSTOMERS) return err(pinLimitReached(MAX_PINNED_CUSTOMERS));
      return ok([{ type: 'CustomerPinned', data: { customerId } }]);
    }
    case 'UnpinCustomer': {
      const { customerId, actorPartnerId, customer } = command.data;
      // A pinned customer was this partner's when pinned (a user belongs to one partner), so it
      // can always be unpinned, even once disconnected; an unpinned one must still be visible.
      if (state.pinned.includes(customerId)) return ok([{ type: 'CustomerUnpinned', data: { customerId } }]);
      const gone = checkCustomerOf(customer, actorPartnerId);
      return gone ? err(gone) : ok([]);
    }
    case 'SaveColumnPreferences': {
      const problems = checkColumns(command.data.columns);
      if (problems.length > 0) return err(new PreferencesValidationError(problems));
      if (sameColumns(state.columns, command.data.columns)) return ok([]);
      return ok([{ type: 'ColumnPreferencesSaved', data: { columns: [...command.data.columns] } }]);
    }
  }
}

export const partnerUserDecider = {
  initialState: initialPartnerUserState,
  evolve: evolvePartnerUser,
  decide: decidePartnerUser,
};
