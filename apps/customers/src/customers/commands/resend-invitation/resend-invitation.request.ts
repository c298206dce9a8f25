import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class ResendInvitationRequest {
  @ApiPropertyOptional({ description: 'Send to this address instead of the current contact' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;

  @ApiPropertyOptional({ maxLength: 20000, description: 'The email text; a localised default when absent' })
  @IsOptional()
  @IsString()
  @Length(1, 20000)
  draftEmail?: string;

  @ApiPropertyOptional({ maxLength: 256 })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  partnerName?: string;

  @ApiPropertyOptional({ maxLength: 256 })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  indirectProviderName?: string;
}
