import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional } from 'class-validator';
import { SERVICE_CODES } from '../../domain/service-catalog';

/** F12: which services to start; absent = every service with an available subscription. */
export class StartServicesRequest {
  @ApiPropertyOptional({ type: [String], enum: SERVICE_CODES, minItems: 1 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SERVICE_CODES.length)
  @ArrayUnique()
  @IsIn(SERVICE_CODES as string[], { each: true })
  serviceCodes?: string[];
}
