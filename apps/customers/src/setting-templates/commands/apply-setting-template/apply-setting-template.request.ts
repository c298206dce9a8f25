import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { APPLY_MAX_CUSTOMERS } from '../../domain/setting-template.decider';

export class ApplySettingTemplateRequest {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: APPLY_MAX_CUSTOMERS, description: 'Distinct customer ids' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(APPLY_MAX_CUSTOMERS)
  @ArrayUnique((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
  @IsUUID('all', { each: true })
  customerIds!: string[];
}

export class ApplyResultResponse {
  @ApiProperty({ format: 'uuid' })
  customerId!: string;
  @ApiProperty({ enum: ['applied', 'failed'] })
  status!: 'applied' | 'failed';
  @ApiProperty({ required: false, format: 'uuid', description: 'The SettingTemplateApplied event (applied only)' })
  eventId?: string;
  @ApiProperty({
    required: false,
    example: 'CUSTOMER.CUSTOMER_MANAGED',
    description: 'Why it failed: CUSTOMER.NOT_FOUND (unknown, disconnected or another partner’s), CUSTOMER.CUSTOMER_MANAGED, CUSTOMER.TOO_MANY_TAGS, CUSTOMER.CONCURRENT_UPDATE',
  })
  code?: string;
  @ApiProperty({ required: false })
  message?: string;
}

export class ApplySettingTemplateResponse {
  @ApiProperty({ format: 'uuid' })
  templateId!: string;
  @ApiProperty({ description: 'Customers the template was applied to' })
  applied!: number;
  @ApiProperty({ description: 'Customers it could not be applied to (see their code)' })
  failed!: number;
  @ApiProperty({ type: [ApplyResultResponse], description: 'One line per requested customer, in request order' })
  results!: ApplyResultResponse[];
}
