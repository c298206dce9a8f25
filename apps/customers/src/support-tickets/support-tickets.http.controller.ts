import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { isUuid } from '@platform/core';
import { CurrentActor, Roles, type AuthenticatedActor } from '@platform/service-kit';
import type { Request, Response } from 'express';
import { ApiProblems, requireCustomerId, requireJsonBodyIfAny } from '../customers/infrastructure/customer-response';
import { LOG_POSITION_DOC, setLogPosition } from '../infrastructure/log-position';
import { AddSupportTicketNoteHandler } from './commands/add-support-ticket-note/add-support-ticket-note.handler';
import { AddSupportTicketNoteRequest } from './commands/add-support-ticket-note/add-support-ticket-note.request';
import { CloseSupportTicketHandler } from './commands/close-support-ticket/close-support-ticket.handler';
import { CloseSupportTicketRequest } from './commands/close-support-ticket/close-support-ticket.request';
import { OpenSupportTicketHandler } from './commands/open-support-ticket/open-support-ticket.handler';
import { OpenSupportTicketRequest } from './commands/open-support-ticket/open-support-ticket.request';
import { ticketNotFound } from './domain/support-ticket.errors';
import { ListSupportTicketsQuery } from './queries/list-support-tickets/list-support-tickets.query';
import { SupportTicketListView, SupportTicketNoteView, SupportTicketView } from './queries/list-support-tickets/support-ticket-view';

const NOT_FOUND_DOC: [number, string] = [404, 'CUSTOMER.NOT_FOUND (unknown, disconnected or another partner’s), TICKET.NOT_FOUND'];
const FORBIDDEN_DOC: [number, string] = [403, 'AUTH.FORBIDDEN: auditors are read-only'];

/** Ticket ids are UUIDs; anything else names no ticket. */
function requireTicketId(tid: string): string {
  if (!isUuid(tid)) throw ticketNotFound();
  return tid.toLowerCase();
}

/** F7 support tickets (service requests) of one customer. */
@ApiTags('support-tickets')
@Controller('api/v1/customers')
export class SupportTicketsHttpController {
  constructor(
    private readonly list: ListSupportTicketsQuery,
    private readonly open: OpenSupportTicketHandler,
    private readonly addNote: AddSupportTicketNoteHandler,
    private readonly close: CloseSupportTicketHandler,
  ) {}

  @Get(':id/support-tickets')
  @ApiOperation({ summary: "The customer's support tickets with their notes, newest first, and the open count (F7)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SupportTicketListView })
  @ApiProblems(NOT_FOUND_DOC)
  listTickets(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string): Promise<SupportTicketListView> {
    return this.list.execute(actor.partnerId, requireCustomerId(id));
  }

  @Post(':id/support-tickets')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: "Open a support ticket on the customer's behalf (F7)" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: SupportTicketView, headers: LOG_POSITION_DOC })
  @ApiProblems([400, 'REQUEST.INVALID, TICKET.INVALID with the failing fields'], FORBIDDEN_DOC, NOT_FOUND_DOC, [409, 'CUSTOMER.CONCURRENT_UPDATE'])
  async openTicket(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() body: OpenSupportTicketRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SupportTicketView> {
    const customerId = requireCustomerId(id);
    const { ticket, position } = await this.open.execute({ actor, customerId, ...body });
    setLogPosition(res, position);
    return ticket;
  }

  @Post(':id/support-tickets/:tid/notes')
  @Roles('global-admin', 'admin-agent')
  @ApiOperation({ summary: 'Add a note to an open support ticket (F7)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'tid', format: 'uuid' })
  @ApiCreatedResponse({ type: SupportTicketNoteView, headers: LOG_POSITION_DOC })
  @ApiProblems([400, 'REQUEST.INVALID, TICKET.INVALID'], FORBIDDEN_DOC, NOT_FOUND_DOC, [409, 'TICKET.ALREADY_CLOSED'])
  async addTicketNote(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Param('tid') tid: string,
    @Body() body: AddSupportTicketNoteRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SupportTicketNoteView> {
    const customerId = requireCustomerId(id);
    const { note, position } = await this.addNote.execute({ actor, customerId, ticketId: requireTicketId(tid), text: body.text });
    setLogPosition(res, position);
    return note;
  }

  @Post(':id/support-tickets/:tid\\:close')
  @Roles('global-admin', 'admin-agent')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Close a support ticket, optionally with a resolution (F7)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'tid', format: 'uuid' })
  @ApiOkResponse({ type: SupportTicketView, headers: LOG_POSITION_DOC })
  @ApiProblems(
    [400, 'REQUEST.INVALID, TICKET.INVALID'],
    FORBIDDEN_DOC,
    NOT_FOUND_DOC,
    [409, 'TICKET.ALREADY_CLOSED'],
    [415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE (a body that is not JSON)'],
  )
  async closeTicket(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Param('tid') tid: string,
    @Body() body: CloseSupportTicketRequest,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SupportTicketView> {
    // Every field is optional: a non-JSON body must not pass as `{}`.
    requireJsonBodyIfAny(req);
    const customerId = requireCustomerId(id);
    const { ticket, position } = await this.close.execute({ actor, customerId, ticketId: requireTicketId(tid), resolution: body.resolution });
    setLogPosition(res, position);
    return ticket;
  }
}
