import { ApiProperty } from '@nestjs/swagger';
import { TICKET_SEVERITIES } from '../../domain/support-ticket.decider';

export class SupportTicketNoteView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null once the customer was disconnected (personal data erased)' })
  text!: string | null;
  @ApiProperty({ format: 'date-time' })
  addedAt!: string;
  @ApiProperty({ description: 'User id of the partner user who added it' })
  addedBy!: string;
}

export class SupportTicketView {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: String, nullable: true })
  title!: string | null;
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
  @ApiProperty({ enum: TICKET_SEVERITIES })
  severity!: string;
  @ApiProperty({ enum: ['open', 'closed'] })
  status!: 'open' | 'closed';
  @ApiProperty({ format: 'date-time' })
  openedAt!: string;
  @ApiProperty()
  openedBy!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true })
  closedBy!: string | null;
  @ApiProperty({ type: String, nullable: true })
  resolution!: string | null;
  @ApiProperty({ type: [SupportTicketNoteView], description: 'Oldest first' })
  notes!: SupportTicketNoteView[];
}

export class SupportTicketListView {
  @ApiProperty({ type: [SupportTicketView], description: 'Newest first' })
  items!: SupportTicketView[];
  @ApiProperty()
  openCount!: number;
}

/** What the view reads of a customer-stream event: its data, and when and by whom from its metadata. */
export interface TicketEventLike {
  type: string;
  data: unknown;
  metadata: { occurredAt: string; actor: { id: string } };
}

/** The customer's tickets with notes and status, folded from its stream (tickets are few per customer). */
export function supportTicketViews(events: readonly TicketEventLike[]): SupportTicketListView {
  const byId = new Map<string, SupportTicketView>();
  for (const e of events) {
    switch (e.type) {
      case 'SupportTicketOpened': {
        const d = e.data as { ticketId: string; title: string | null; description: string | null; severity: string };
        byId.set(d.ticketId, {
          id: d.ticketId,
          title: d.title,
          description: d.description,
          severity: d.severity,
          status: 'open',
          openedAt: e.metadata.occurredAt,
          openedBy: e.metadata.actor.id,
          closedAt: null,
          closedBy: null,
          resolution: null,
          notes: [],
        });
        break;
      }
      case 'SupportTicketNoteAdded': {
        const d = e.data as { ticketId: string; noteId: string; text: string | null };
        byId.get(d.ticketId)?.notes.push({ id: d.noteId, text: d.text, addedAt: e.metadata.occurredAt, addedBy: e.metadata.actor.id });
        break;
      }
      case 'SupportTicketClosed': {
        const d = e.data as { ticketId: string; resolution?: string | null };
        const ticket = byId.get(d.ticketId);
        if (ticket) {
          ticket.status = 'closed';
          ticket.closedAt = e.metadata.occurredAt;
          ticket.closedBy = e.metadata.actor.id;
          ticket.resolution = d.resolution ?? null;
        }
        break;
      }
    }
  }
  const items = [...byId.values()].reverse();
  return { items, openCount: items.filter((t) => t.status === 'open').length };
}
