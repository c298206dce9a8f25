import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { TICKET_TEXT_MAX } from '../../domain/support-ticket.decider';

export class CloseSupportTicketRequest {
  @ApiPropertyOptional({ example: 'Credentials renewed.', maxLength: TICKET_TEXT_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(TICKET_TEXT_MAX)
  resolution?: string;
}
