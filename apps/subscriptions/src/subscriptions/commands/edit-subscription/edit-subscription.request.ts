import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MAX_QUANTITY } from '../../domain/subscription.decider';
import { ISO_UTC_RE } from '../add-services/add-services.request';

/** F11: every field optional, at least one. */
export class EditSubscriptionRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_QUANTITY })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'New term end, in the future' })
  @IsOptional()
  @IsString()
  @Matches(ISO_UTC_RE, { message: 'termEndsAt must be an ISO 8601 UTC date-time (…Z)' })
  termEndsAt?: string;

  @ApiPropertyOptional({ description: 'Renew at the term end (paid only)' })
  @IsOptional()
  @IsBoolean()
  autoRenew?: boolean;
}
