import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { BILLING_FREQUENCIES, type BillingFrequency } from '../../domain/billing-profile';

export class CreateBillingProfileRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Monthly — EU customers' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: BILLING_FREQUENCIES, description: 'How often billing reports go out' })
  @IsIn(BILLING_FREQUENCIES)
  frequency!: BillingFrequency;

  @ApiProperty({ minimum: 1, maximum: 28, example: 5, description: 'Day of the month the report is sent (it covers the previous month, or year)' })
  @IsInt()
  @Min(1)
  @Max(28)
  sendDay!: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 12, type: Number, nullable: true, description: 'Month of the yearly report (required for yearly profiles)' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(12)
  sendMonth?: number | null;
}

export class UpdateBillingProfileRequest extends PartialType(CreateBillingProfileRequest) {}

export class BillingProfileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: BILLING_FREQUENCIES }) frequency!: string;
  @ApiProperty() sendDay!: number;
  @ApiProperty({ type: Number, nullable: true }) sendMonth!: number | null;
  @ApiProperty({ description: 'Stream version; the ETag is W/"<version>"' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class BillingProfileListDto {
  @ApiProperty({ type: [BillingProfileDto] }) items!: BillingProfileDto[];
}
