import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { MAX_RECIPIENTS } from '../../domain/generate-report.decision';
import { RECIPIENT_KINDS, REPORT_FORMATS, type RecipientKind, type ReportFormat } from '../../domain/report.events';

export class ReportRecipientDto {
  @ApiProperty({ example: 'reports@contoso.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: RECIPIENT_KINDS, description: '`customer` addresses need the customer’s service reports on and a verified address' })
  @IsIn(RECIPIENT_KINDS)
  kind!: RecipientKind;
}

/** Body of `POST /api/v1/customers/{id}/reports` (F15). */
export class GenerateReportRequest {
  @ApiProperty({ format: 'uuid', description: 'A template that defines no customers' })
  @IsUUID()
  templateId!: string;

  @ApiProperty({ enum: REPORT_FORMATS })
  @IsIn(REPORT_FORMATS)
  format!: ReportFormat;

  @ApiProperty({ type: [ReportRecipientDto], minItems: 1, maxItems: MAX_RECIPIENTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RECIPIENTS)
  @ValidateNested({ each: true })
  @Type(() => ReportRecipientDto)
  recipients!: ReportRecipientDto[];

  @ApiProperty({ required: false, maxLength: 255, description: 'File name of the report (sanitised); the template name by default' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;
}

export class GeneratedReportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) templateId!: string;
  @ApiProperty() reportName!: string;
  @ApiProperty({ enum: REPORT_FORMATS }) format!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty({ description: 'Signed, time-limited download link (also emailed to the recipients)' }) downloadLink!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: [ReportRecipientDto] }) recipients!: ReportRecipientDto[];
}
