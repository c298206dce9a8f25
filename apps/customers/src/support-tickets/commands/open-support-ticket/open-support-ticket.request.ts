import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { TICKET_SEVERITIES, TICKET_TEXT_MAX, TICKET_TITLE_MAX } from '../../domain/support-ticket.decider';

export class OpenSupportTicketRequest {
  @ApiProperty({ example: 'Backup job failing', minLength: 1, maxLength: TICKET_TITLE_MAX })
  @IsString()
  @Length(1, TICKET_TITLE_MAX)
  title!: string;

  @ApiPropertyOptional({ example: 'The nightly Exchange backup fails since Monday.', maxLength: TICKET_TEXT_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(TICKET_TEXT_MAX)
  description?: string;

  @ApiProperty({ enum: TICKET_SEVERITIES, example: 'high' })
  @IsIn(TICKET_SEVERITIES)
  severity!: string;
}
