import { err, ok, type CodedError, type Result } from '@platform/core';
import {
  checkCustomerOf,
  evolve as evolveCustomer,
  initialState as initialCustomerState,
  type CustomerEventEnvelope,
  type CustomerState,
} from '../../customers/domain/customer.decider';
import type { SupportTicketClosed, SupportTicketNoteAdded, SupportTicketOpened } from '../../customers/domain/customer.events';
import {
  noteAlreadyExists,
  SupportTicketValidationError,
  ticketAlreadyClosed,
  ticketAlreadyExists,
  ticketNotFound,
  type FieldProblem,
} from './support-ticket.errors';

/**
 * F7 support tickets (service requests a partner opens on its customer's behalf), decided over
 * the customer's own stream: the customer decider's state says whether the customer is this
 * partner's and still connected; this decider adds which tickets exist and are open.
 */

export const TICKET_SEVERITIES = ['low', 'normal', 'high', 'critical'] as const;
export type TicketSeverity = (typeof TICKET_SEVERITIES)[number];
export const TICKET_TITLE_MAX = 200;
export const TICKET_TEXT_MAX = 10_000;

export type SupportTicketEvent = SupportTicketOpened | SupportTicketNoteAdded | SupportTicketClosed;

export type TicketState = { status: 'open' | 'closed'; noteIds: string[] };

export type SupportTicketsState = {
  customer: CustomerState;
  /** By ticket id. */
  tickets: Readonly<Record<string, TicketState>>;
};

export const initialSupportTicketsState = (): SupportTicketsState => ({ customer: initialCustomerState, tickets: {} });

export function evolveSupportTickets(state: SupportTicketsState, event: CustomerEventEnvelope): SupportTicketsState {
  const customer = evolveCustomer(state.customer, event);
  switch (event.type) {
    case 'SupportTicketOpened':
      return {
        customer,
        tickets: { ...state.tickets, [event.data.ticketId]: { status: 'open', noteIds: [] } },
      };
    case 'SupportTicketNoteAdded': {
      const ticket = state.tickets[event.data.ticketId];
      if (!ticket) return { ...state, customer };
      return {
        customer,
        tickets: { ...state.tickets, [event.data.ticketId]: { ...ticket, noteIds: [...ticket.noteIds, event.data.noteId] } },
      };
    }
    case 'SupportTicketClosed': {
      const ticket = state.tickets[event.data.ticketId];
      if (!ticket) return { ...state, customer };
      return { customer, tickets: { ...state.tickets, [event.data.ticketId]: { ...ticket, status: 'closed' } } };
    }
    default:
      return customer === state.customer ? state : { ...state, customer };
  }
}

export type OpenSupportTicket = {
  type: 'OpenSupportTicket';
  data: { partnerId: string; ticketId: string; title: string; description?: string; severity: string };
};
export type AddSupportTicketNote = {
  type: 'AddSupportTicketNote';
  data: { partnerId: string; ticketId: string; noteId: string; text: string };
};
export type CloseSupportTicket = {
  type: 'CloseSupportTicket';
  data: { partnerId: string; ticketId: string; resolution?: string };
};
export type SupportTicketCommand = OpenSupportTicket | AddSupportTicketNote | CloseSupportTicket;

export type SupportTicketDecision = Result<SupportTicketEvent[], CodedError>;

const openCount = (state: SupportTicketsState): number =>
  Object.values(state.tickets).filter((t) => t.status === 'open').length;

const isSeverity = (value: string): value is TicketSeverity => (TICKET_SEVERITIES as readonly string[]).includes(value);

function checkText(value: string, field: string, min: number, max: number): FieldProblem[] {
  const blank = value.trim().length === 0;
  if ((min > 0 && blank) || value.length > max) return [{ field, message: `must be ${min}–${max} characters` }];
  return [];
}

const invalid = (problems: FieldProblem[]): SupportTicketDecision | undefined =>
  problems.length > 0 ? err(new SupportTicketValidationError(problems)) : undefined;

export function decideSupportTickets(command: SupportTicketCommand, state: SupportTicketsState): SupportTicketDecision {
  // Unknown, another partner's and disconnected customers: 404, before anything about the input is told.
  const gone = checkCustomerOf(state.customer, command.data.partnerId);
  if (gone) return err(gone);

  switch (command.type) {
    case 'OpenSupportTicket': {
      const c = command.data;
      const description = c.description ?? '';
      const problems = [
        ...checkText(c.title, 'title', 1, TICKET_TITLE_MAX),
        ...checkText(description, 'description', 0, TICKET_TEXT_MAX),
        ...(isSeverity(c.severity) ? [] : [{ field: 'severity', message: `must be one of ${TICKET_SEVERITIES.join(', ')}` }]),
      ];
      const refused = invalid(problems);
      if (refused) return refused;
      if (state.tickets[c.ticketId]) return err(ticketAlreadyExists());
      return ok([
        {
          type: 'SupportTicketOpened',
          data: { ticketId: c.ticketId, title: c.title.trim(), description, severity: c.severity, openTicketCount: openCount(state) + 1 },
        },
      ]);
    }
    case 'AddSupportTicketNote': {
      const c = command.data;
      const ticket = state.tickets[c.ticketId];
      if (!ticket) return err(ticketNotFound());
      const refused = invalid(checkText(c.text, 'text', 1, TICKET_TEXT_MAX));
      if (refused) return refused;
      if (ticket.status === 'closed') return err(ticketAlreadyClosed());
      if (ticket.noteIds.includes(c.noteId)) return err(noteAlreadyExists());
      return ok([{ type: 'SupportTicketNoteAdded', data: { ticketId: c.ticketId, noteId: c.noteId, text: c.text } }]);
    }
    case 'CloseSupportTicket': {
      const c = command.data;
      const ticket = state.tickets[c.ticketId];
      if (!ticket) return err(ticketNotFound());
      if (c.resolution !== undefined) {
        const refused = invalid(checkText(c.resolution, 'resolution', 0, TICKET_TEXT_MAX));
        if (refused) return refused;
      }
      if (ticket.status === 'closed') return err(ticketAlreadyClosed());
      return ok([
        {
          type: 'SupportTicketClosed',
          data: {
            ticketId: c.ticketId,
            ...(c.resolution !== undefined && c.resolution.trim().length > 0 ? { resolution: c.resolution } : {}),
            openTicketCount: openCount(state) - 1,
          },
        },
      ]);
    }
  }
}

export const supportTicketDecider = {
  initialState: initialSupportTicketsState,
  evolve: evolveSupportTickets,
  decide: decideSupportTickets,
};
