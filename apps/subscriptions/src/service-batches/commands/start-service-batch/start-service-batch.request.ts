import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { BATCH_MAX_CUSTOMERS, QUANTITY_MAX, SERVICE_CODE_MAX, SERVICE_CODE_PATTERN } from '../../domain/service-batch.decider';

export class ServiceBatchChangesRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: QUANTITY_MAX, example: 300, description: 'Seats or storage (the service’s unit)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(QUANTITY_MAX)
  quantity?: number;

  @ApiPropertyOptional({ format: 'date-time', example: '2027-06-30T00:00:00.000Z', description: 'New end of the term' })
  @IsOptional()
  @IsISO8601({ strict: true })
  termEndsAt?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  autoRenew?: boolean;
}

export class StartServiceBatchRequest {
  @ApiProperty({ example: 'cloud-backup-m365', maxLength: SERVICE_CODE_MAX, description: 'Catalogue code of the pooled service to edit' })
  @IsString()
  @MaxLength(SERVICE_CODE_MAX)
  @Matches(SERVICE_CODE_PATTERN)
  serviceCode!: string;

  @ApiProperty({ type: ServiceBatchChangesRequest, description: 'At least one of quantity, termEndsAt, autoRenew' })
  @IsDefined()
  @ValidateNested()
  @Type(() => ServiceBatchChangesRequest)
  changes!: ServiceBatchChangesRequest;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: BATCH_MAX_CUSTOMERS, description: 'Distinct customer ids' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BATCH_MAX_CUSTOMERS)
  @ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  @IsUUID('all', { each: true })
  customerIds!: string[];
}

export class ServiceBatchAcceptedResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
}
