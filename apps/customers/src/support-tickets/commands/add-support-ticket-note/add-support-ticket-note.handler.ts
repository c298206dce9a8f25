import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@platform/core';
import type { AuthenticatedActor } from '@platform/service-kit';
import { SupportTicketCommandRunner } from '../../infrastructure/support-ticket-command-runner';
import type { SupportTicketNoteView } from '../../queries/list-support-tickets/support-ticket-view';

export interface AddSupportTicketNoteCommand {
  actor: AuthenticatedActor;
  customerId: string;
  ticketId: string;
  text: string;
}

/** F7: a note on an open ticket. */
@Injectable()
export class AddSupportTicketNoteHandler {
  constructor(private readonly runner: SupportTicketCommandRunner) {}

  async execute(command: AddSupportTicketNoteCommand): Promise<{ note: SupportTicketNoteView; position: bigint }> {
    const noteId = uuidv7();
    const { tickets, position } = await this.runner.run(command.actor, command.customerId, {
      type: 'AddSupportTicketNote',
      data: { partnerId: command.actor.partnerId, ticketId: command.ticketId, noteId, text: command.text },
    });
    const ticket = tickets.items.find((t) => t.id === command.ticketId)!;
    return { note: ticket.notes.find((n) => n.id === noteId)!, position };
  }
}
