import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { SERVICE_CODES } from '../../domain/service-catalog';
import { MAX_QUANTITY } from '../../domain/subscription.decider';

export const ISO_UTC_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
export const MAX_SERVICES_PER_REQUEST = 20;

export class NewServiceRequest {
  @ApiProperty({ enum: SERVICE_CODES, example: 'cloud-backup-m365' })
  @IsString()
  @IsIn(SERVICE_CODES as string[])
  serviceCode!: string;

  @ApiProperty({ enum: ['trial', 'paid'] })
  @IsIn(['trial', 'paid'])
  plan!: 'trial' | 'paid';

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 250, description: 'Seats or GB of storage (see unit)' })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({ enum: ['seats', 'storage-gb'], description: "One of the catalogue's units of the service; default its first" })
  @IsOptional()
  @IsIn(['seats', 'storage-gb'])
  unit?: 'seats' | 'storage-gb';

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' })
  @IsOptional()
  @IsString()
  @Matches(ISO_UTC_RE, { message: 'termStartsAt must be an ISO 8601 UTC date-time (…Z)' })
  termStartsAt?: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-01T00:00:00Z', description: 'In the future; a trial lasts at most the catalogue’s maxTrialDays' })
  @IsString()
  @Matches(ISO_UTC_RE, { message: 'termEndsAt must be an ISO 8601 UTC date-time (…Z)' })
  termEndsAt!: string;

  @ApiProperty({ description: 'Pooled (shares the partner’s licence pool; only poolable services) or dedicated' })
  @IsBoolean()
  pooled!: boolean;

  @ApiPropertyOptional({ description: 'Renew for another term at the term end (paid only); default false' })
  @IsOptional()
  @IsBoolean()
  autoRenew?: boolean;
}

/** F10: add one or several services to a customer at once, one subscription each. */
export class AddServicesRequest {
  @ApiProperty({ type: [NewServiceRequest], minItems: 1, maxItems: MAX_SERVICES_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SERVICES_PER_REQUEST)
  @ValidateNested({ each: true })
  @Type(() => NewServiceRequest)
  services!: NewServiceRequest[];
}
