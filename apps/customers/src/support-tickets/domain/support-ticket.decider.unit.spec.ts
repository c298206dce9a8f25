import { ConflictError, NotFoundError, ValidationError } from '@platform/core';
import type { CustomerEventEnvelope } from '../../customers/domain/customer.decider';
import { deciderSpecification } from '../../partner-users/testing/decider-specification';
import { supportTicketDecider, TICKET_TEXT_MAX, type SupportTicketCommand, type SupportTicketEvent } from './support-ticket.decider';

const spec = deciderSpecification(supportTicketDecider);
const PARTNER = 'partner-a';
const T1 = '0192e5f0-0000-7000-8000-000000000001';
const T2 = '0192e5f0-0000-7000-8000-000000000002';
const N1 = '0192e5f0-0000-7000-8000-000000000011';

const invited: CustomerEventEnvelope = {
  type: 'CustomerInvited',
  data: {
    organizationName: 'Contoso',
    primaryDomain: 'contoso.com',
    countryCode: 'IT',
    accountType: 'local-account',
    contactEmail: 'admin@contoso.com',
    tags: [],
    locale: 'it',
    invitation: { tokenId: 'tok', expiresAt: '2026-02-01T00:00:00.000Z', draftEmail: 'Hello' },
  },
  metadata: { partnerId: PARTNER, customerId: 'c1', occurredAt: '2026-01-01T00:00:00.000Z' },
};
const accepted: CustomerEventEnvelope = {
  type: 'InvitationAccepted',
  data: { registeredAccount: 'admin@contoso.com', accountType: 'local-account' },
};
const disconnected: CustomerEventEnvelope = { type: 'CustomerDisconnected', data: {} };
const customerManaged: CustomerEventEnvelope = { type: 'ManagementModeChanged', data: { from: 'partner', to: 'customer' } };

const open = (ticketId = T1, data: Partial<{ title: string; description: string; severity: string }> = {}): SupportTicketCommand => ({
  type: 'OpenSupportTicket',
  data: { partnerId: PARTNER, ticketId, title: 'Backup failing', description: 'Since Monday', severity: 'high', ...data },
});
const note = (text = 'Called the admin', ticketId = T1, noteId = N1): SupportTicketCommand => ({
  type: 'AddSupportTicketNote',
  data: { partnerId: PARTNER, ticketId, noteId, text },
});
const close = (ticketId = T1, resolution?: string): SupportTicketCommand => ({
  type: 'CloseSupportTicket',
  data: { partnerId: PARTNER, ticketId, ...(resolution !== undefined ? { resolution } : {}) },
});
const opened = (ticketId = T1, openTicketCount = 1): SupportTicketEvent => ({
  type: 'SupportTicketOpened',
  data: { ticketId, title: 'Backup failing', description: 'Since Monday', severity: 'high', openTicketCount },
});
const closed = (ticketId = T1, openTicketCount = 0): SupportTicketEvent => ({
  type: 'SupportTicketClosed',
  data: { ticketId, openTicketCount },
});

describe('support ticket decider (F7)', () => {
  it('opens a ticket on behalf of an active customer, counting the open tickets', () => {
    spec.given([invited, accepted]).when(open()).then([opened(T1, 1)]);
    spec.given([invited, accepted, opened(T1, 1)]).when(open(T2)).then([opened(T2, 2)]);
    spec.given([invited, accepted, opened(T1, 1), closed(T1, 0)]).when(open(T2)).then([opened(T2, 1)]);
  });

  it('opens tickets for invited and customer-managed customers too', () => {
    spec.given([invited]).when(open()).then([opened()]);
    spec.given([invited, accepted, customerManaged]).when(open()).then([opened()]);
  });

  it('trims the title, keeps the description as written and defaults it to empty', () => {
    spec
      .given([invited, accepted])
      .when(open(T1, { title: '  Backup failing  ', description: '  line 1\nline 2 ' }))
      .then([
        {
          type: 'SupportTicketOpened',
          data: { ticketId: T1, title: 'Backup failing', description: '  line 1\nline 2 ', severity: 'high', openTicketCount: 1 },
        },
      ]);
    spec
      .given([invited, accepted])
      .when({ type: 'OpenSupportTicket', data: { partnerId: PARTNER, ticketId: T1, title: 'x', severity: 'low' } })
      .then([{ type: 'SupportTicketOpened', data: { ticketId: T1, title: 'x', description: '', severity: 'low', openTicketCount: 1 } }]);
  });

  it('refuses a blank or 201-character title, an overlong description and an unknown severity', () => {
    const e = spec
      .given([invited, accepted])
      .when(open(T1, { title: 'x'.repeat(201), description: 'd'.repeat(TICKET_TEXT_MAX + 1), severity: 'urgent' }))
      .thenThrows('TICKET.INVALID', ValidationError) as ValidationError;
    expect(e.fields.map((f) => f.field)).toEqual(['title', 'description', 'severity']);
    spec.given([invited, accepted]).when(open(T1, { title: '   ' })).thenThrows('TICKET.INVALID', ValidationError);
    spec.given([invited, accepted]).when(open(T1, { title: 'x'.repeat(200), description: 'd'.repeat(TICKET_TEXT_MAX) })).then([
      {
        type: 'SupportTicketOpened',
        data: { ticketId: T1, title: 'x'.repeat(200), description: 'd'.repeat(TICKET_TEXT_MAX), severity: 'high', openTicketCount: 1 },
      },
    ]);
  });

  it('refuses a ticket id that exists', () => {
    spec.given([invited, accepted, opened()]).when(open()).thenThrows('TICKET.ALREADY_EXISTS', ConflictError);
  });

  it.each<[string, CustomerEventEnvelope[]]>([
    ['an unknown customer', []],
    ['a disconnected customer', [invited, accepted, opened(), disconnected]],
  ])('answers not found for %s, whatever the command', (_, given) => {
    for (const command of [open(T2), note(), close()]) {
      spec.given(given).when(command).thenThrows('CUSTOMER.NOT_FOUND', NotFoundError);
    }
  });

  it("answers not found for another partner's customer, whatever the command", () => {
    for (const command of [open(T2), note(), close()]) {
      const other = { ...command, data: { ...command.data, partnerId: 'partner-b' } } as SupportTicketCommand;
      spec.given([invited, accepted, opened()]).when(other).thenThrows('CUSTOMER.NOT_FOUND', NotFoundError);
    }
  });

  it('adds a note to an open ticket', () => {
    spec
      .given([invited, accepted, opened()])
      .when(note('Called the admin'))
      .then([{ type: 'SupportTicketNoteAdded', data: { ticketId: T1, noteId: N1, text: 'Called the admin' } }]);
  });

  it('refuses a blank or overlong note, a note to an unknown or closed ticket, and a reused note id', () => {
    spec.given([invited, accepted, opened()]).when(note('  ')).thenThrows('TICKET.INVALID', ValidationError);
    spec.given([invited, accepted, opened()]).when(note('n'.repeat(TICKET_TEXT_MAX + 1))).thenThrows('TICKET.INVALID', ValidationError);
    spec.given([invited, accepted, opened()]).when(note('ok', T2)).thenThrows('TICKET.NOT_FOUND', NotFoundError);
    spec.given([invited, accepted, opened(), closed()]).when(note()).thenThrows('TICKET.ALREADY_CLOSED', ConflictError);
    spec
      .given([invited, accepted, opened(), { type: 'SupportTicketNoteAdded', data: { ticketId: T1, noteId: N1, text: 'first' } }])
      .when(note('second'))
      .thenThrows('TICKET.NOTE_ALREADY_EXISTS', ConflictError);
  });

  it('closes an open ticket, with or without a resolution, counting the tickets left open', () => {
    spec.given([invited, accepted, opened(T1, 1), opened(T2, 2)]).when(close(T1)).then([closed(T1, 1)]);
    spec
      .given([invited, accepted, opened()])
      .when(close(T1, 'Fixed the job'))
      .then([{ type: 'SupportTicketClosed', data: { ticketId: T1, resolution: 'Fixed the job', openTicketCount: 0 } }]);
  });

  it('refuses to close a ticket twice, an unknown ticket, or with an overlong resolution', () => {
    spec.given([invited, accepted, opened(), closed()]).when(close()).thenThrows('TICKET.ALREADY_CLOSED', ConflictError);
    spec.given([invited, accepted, opened()]).when(close(T2)).thenThrows('TICKET.NOT_FOUND', NotFoundError);
    spec
      .given([invited, accepted, opened()])
      .when(close(T1, 'r'.repeat(TICKET_TEXT_MAX + 1)))
      .thenThrows('TICKET.INVALID', ValidationError);
  });
});
