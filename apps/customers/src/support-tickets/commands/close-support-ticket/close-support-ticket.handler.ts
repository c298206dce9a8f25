import { Injectable } from '@nestjs/common';
import type { AuthenticatedActor } from '@platform/service-kit';
import { SupportTicketCommandRunner } from '../../infrastructure/support-ticket-command-runner';
import type { SupportTicketView } from '../../queries/list-support-tickets/support-ticket-view';

export interface CloseSupportTicketCommand {
  actor: AuthenticatedActor;
  customerId: string;
  ticketId: string;
  resolution?: string;
}

/** F7: close an open ticket (closing it again is 409 TICKET.ALREADY_CLOSED). */
@Injectable()
export class CloseSupportTicketHandler {
  constructor(private readonly runner: SupportTicketCommandRunner) {}

  async execute(command: CloseSupportTicketCommand): Promise<{ ticket: SupportTicketView; position: bigint }> {
    const { tickets, position } = await this.runner.run(command.actor, command.customerId, {
      type: 'CloseSupportTicket',
      data: { partnerId: command.actor.partnerId, ticketId: command.ticketId, resolution: command.resolution },
    });
    return { ticket: tickets.items.find((t) => t.id === command.ticketId)!, position };
  }
}
