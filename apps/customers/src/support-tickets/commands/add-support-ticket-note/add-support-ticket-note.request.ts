import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { TICKET_TEXT_MAX } from '../../domain/support-ticket.decider';

export class AddSupportTicketNoteRequest {
  @ApiProperty({ example: 'Called the customer, waiting for logs.', minLength: 1, maxLength: TICKET_TEXT_MAX })
  @IsString()
  @Length(1, TICKET_TEXT_MAX)
  text!: string;
}
