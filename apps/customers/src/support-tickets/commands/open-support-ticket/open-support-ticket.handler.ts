import { Injectable } from '@nestjs/common';
import { uuidv7 } from '@platform/core';
import type { AuthenticatedActor } from '@platform/service-kit';
import { SupportTicketCommandRunner } from '../../infrastructure/support-ticket-command-runner';
import type { SupportTicketView } from '../../queries/list-support-tickets/support-ticket-view';

export interface OpenSupportTicketCommand {
  actor: AuthenticatedActor;
  customerId: string;
  title: string;
  description?: string;
  severity: string;
}

/** F7: a partner user opens a support ticket on the customer's behalf. */
@Injectable()
export class OpenSupportTicketHandler {
  constructor(private readonly runner: SupportTicketCommandRunner) {}

  async execute(command: OpenSupportTicketCommand): Promise<{ ticket: SupportTicketView; position: bigint }> {
    const ticketId = uuidv7();
    const { tickets, position } = await this.runner.run(command.actor, command.customerId, {
      type: 'OpenSupportTicket',
      data: {
        partnerId: command.actor.partnerId,
        ticketId,
        title: command.title,
        description: command.description,
        severity: command.severity,
      },
    });
    return { ticket: tickets.items.find((t) => t.id === ticketId)!, position };
  }
}
