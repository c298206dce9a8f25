import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { REPORT_SECTIONS, type ReportSectionKind } from '../../domain/report-template.events';
import { TEMPLATE_CUSTOMERS_MAX, TEMPLATE_DESCRIPTION_MAX, TEMPLATE_NAME_MAX } from '../../domain/report-template.decider';

/** Body of `POST /api/v1/report-templates` and `PUT /api/v1/report-templates/{id}` (a full replacement). */
export class ReportTemplateRequest {
  @ApiProperty({ minLength: 1, maxLength: TEMPLATE_NAME_MAX, example: 'Monthly backup summary' })
  @IsString()
  @Length(1, TEMPLATE_NAME_MAX)
  name!: string;

  @ApiPropertyOptional({ maxLength: TEMPLATE_DESCRIPTION_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(TEMPLATE_DESCRIPTION_MAX)
  description?: string;

  @ApiProperty({ enum: REPORT_SECTIONS, isArray: true, example: ['job-status', 'storage-consumption'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(REPORT_SECTIONS.length)
  @IsIn(REPORT_SECTIONS, { each: true })
  sections!: ReportSectionKind[];

  @ApiPropertyOptional({ default: false, description: 'Include detail rows besides the summaries' })
  @IsOptional()
  @IsBoolean()
  details?: boolean;

  @ApiPropertyOptional({
    type: [String],
    maxItems: TEMPLATE_CUSTOMERS_MAX,
    description: 'Fix the template to these customers; a template with customers is not offered when generating a report for a customer',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TEMPLATE_CUSTOMERS_MAX)
  @IsUUID('all', { each: true })
  customerIds?: string[];
}
