import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { RECIPIENTS_MAX, TAGS_MAX, TAG_MAX } from '../../../customers/domain/customer.rules';
import { TEMPLATE_NAME_MAX } from '../../domain/setting-template.decider';

export class TemplateReportDeliveryRequest {
  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;

  @ApiProperty({ type: [String], example: ['reports@contoso.com'], maxItems: RECIPIENTS_MAX })
  @IsArray()
  @ArrayMaxSize(RECIPIENTS_MAX)
  @IsEmail({}, { each: true })
  recipients!: string[];
}

export class TemplateBillingReportsRequest extends TemplateReportDeliveryRequest {
  @ApiPropertyOptional({ example: 'monthly-eu', description: 'Required when enabled' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  billingProfileId?: string;
}

/** The F2 settings a template carries; each one is optional, the decider checks the values. */
export class TemplateSettingsRequest {
  @ApiPropertyOptional({ example: 'IT', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be an ISO 3166-1 alpha-2 code' })
  countryCode?: string;

  @ApiPropertyOptional({ example: 'it', description: 'BCP 47' })
  @IsOptional()
  @IsString()
  @Length(2, 35)
  locale?: string;

  @ApiPropertyOptional({ type: TemplateBillingReportsRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateBillingReportsRequest)
  billingReports?: TemplateBillingReportsRequest;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'nightly-failures', description: 'null = no job notifications' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 128)
  jobNotificationProfileId?: string | null;

  @ApiPropertyOptional({ type: TemplateReportDeliveryRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => TemplateReportDeliveryRequest)
  serviceReports?: TemplateReportDeliveryRequest;
}

export class CreateSettingTemplateRequest {
  @ApiProperty({ example: 'Italian SMB', minLength: 1, maxLength: TEMPLATE_NAME_MAX })
  @IsString()
  @Length(1, TEMPLATE_NAME_MAX)
  name!: string;

  @ApiProperty({ type: TemplateSettingsRequest, description: 'At least one setting, or {} when the template only adds tags' })
  @IsObject()
  @ValidateNested()
  @Type(() => TemplateSettingsRequest)
  settings!: TemplateSettingsRequest;

  @ApiPropertyOptional({ type: [String], maxItems: TAGS_MAX, example: ['smb'], description: 'Tags added to each customer' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TAGS_MAX)
  @IsString({ each: true })
  @Length(1, TAG_MAX, { each: true })
  tags?: string[];
}
