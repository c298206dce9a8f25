import { Module } from '@nestjs/common';
import { customersInfrastructure } from '../customers-infrastructure';
import { clockProvider } from '../infrastructure/clock';
import { AddSupportTicketNoteHandler } from './commands/add-support-ticket-note/add-support-ticket-note.handler';
import { CloseSupportTicketHandler } from './commands/close-support-ticket/close-support-ticket.handler';
import { OpenSupportTicketHandler } from './commands/open-support-ticket/open-support-ticket.handler';
import { SupportTicketCommandRunner } from './infrastructure/support-ticket-command-runner';
import { ListSupportTicketsQuery } from './queries/list-support-tickets/list-support-tickets.query';
import { SupportTicketsHttpController } from './support-tickets.http.controller';

/** F7 support tickets, decided over the customer's stream by the support-ticket decider. */
@Module({
  imports: [customersInfrastructure],
  controllers: [SupportTicketsHttpController],
  providers: [
    clockProvider,
    SupportTicketCommandRunner,
    OpenSupportTicketHandler,
    AddSupportTicketNoteHandler,
    CloseSupportTicketHandler,
    ListSupportTicketsQuery,
  ],
})
export class SupportTicketsModule {}
