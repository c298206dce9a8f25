import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { COUNTRY_RE, LOCALE_RE } from '../invite-customer/invite-customer.request';

export class ReportDeliveryRequest {
  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;

  @ApiProperty({ type: [String], maxItems: 50, description: 'At least one when enabled; ignored (cleared) when disabled' })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsEmail({}, { each: true })
  recipients!: string[];
}

export class BillingReportsRequest extends ReportDeliveryRequest {
  @ApiPropertyOptional({ maxLength: 128, description: 'Required when enabled' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  billingProfileId?: string;
}

/** Every field optional; at least one. `jobNotificationProfileId: null` turns job notifications off. */
export class EditCustomerRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 256 })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  organizationName?: string;

  @ApiPropertyOptional({ example: 'FR' })
  @IsOptional()
  @IsString()
  @Matches(COUNTRY_RE, { message: 'countryCode must be an ISO 3166-1 alpha-2 code (two capital letters)' })
  countryCode?: string;

  @ApiPropertyOptional({ example: 'fr' })
  @IsOptional()
  @IsString()
  @Matches(LOCALE_RE, { message: 'locale must be a BCP 47 language tag (en, it, fr, …)' })
  locale?: string;

  @ApiPropertyOptional({ type: BillingReportsRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => BillingReportsRequest)
  billingReports?: BillingReportsRequest;

  @ApiPropertyOptional({ type: ReportDeliveryRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReportDeliveryRequest)
  serviceReports?: ReportDeliveryRequest;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 128, description: 'null: no job notifications' })
  @ValidateIf((o: EditCustomerRequest) => o.jobNotificationProfileId !== null && o.jobNotificationProfileId !== undefined)
  @IsString()
  @Length(1, 128)
  jobNotificationProfileId?: string | null;
}
