import { supportTicketViews, type TicketEventLike } from './support-ticket-view';

const at = (minute: number, actor = 'user-1') => ({ occurredAt: `2026-01-01T10:0${minute}:00.000Z`, actor: { id: actor } });
const events: TicketEventLike[] = [
  { type: 'CustomerInvited', data: {}, metadata: at(0) },
  { type: 'SupportTicketOpened', data: { ticketId: 't1', title: 'Backup failing', description: 'Since Monday', severity: 'high', openTicketCount: 1 }, metadata: at(1) },
  { type: 'SupportTicketOpened', data: { ticketId: 't2', title: null, description: null, severity: 'low', openTicketCount: 2 }, metadata: at(2, 'user-2') },
  { type: 'SupportTicketNoteAdded', data: { ticketId: 't1', noteId: 'n1', text: 'Called' }, metadata: at(3, 'user-2') },
  { type: 'SupportTicketClosed', data: { ticketId: 't1', resolution: 'Fixed', openTicketCount: 1 }, metadata: at(4) },
  { type: 'CustomerAccessSessionOpened', data: {}, metadata: at(5) },
];

describe('support ticket list view (F7)', () => {
  it('lists tickets newest first with notes, status, who and when, and counts the open ones', () => {
    expect(supportTicketViews(events)).toEqual({
      openCount: 1,
      items: [
        {
          id: 't2',
          title: null,
          description: null,
          severity: 'low',
          status: 'open',
          openedAt: '2026-01-01T10:02:00.000Z',
          openedBy: 'user-2',
          closedAt: null,
          closedBy: null,
          resolution: null,
          notes: [],
        },
        {
          id: 't1',
          title: 'Backup failing',
          description: 'Since Monday',
          severity: 'high',
          status: 'closed',
          openedAt: '2026-01-01T10:01:00.000Z',
          openedBy: 'user-1',
          closedAt: '2026-01-01T10:04:00.000Z',
          closedBy: 'user-1',
          resolution: 'Fixed',
          notes: [{ id: 'n1', text: 'Called', addedAt: '2026-01-01T10:03:00.000Z', addedBy: 'user-2' }],
        },
      ],
    });
  });

  it('is empty for a customer without tickets', () => {
    expect(supportTicketViews(events.slice(0, 1))).toEqual({ items: [], openCount: 0 });
  });
});
