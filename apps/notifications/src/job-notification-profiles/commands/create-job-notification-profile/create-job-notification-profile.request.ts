import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  JOB_OUTCOMES,
  MAX_INTERVAL_MINUTES,
  MAX_PROFILE_RECIPIENTS,
  MIN_INTERVAL_MINUTES,
  type JobOutcome,
} from '../../domain/job-notification-profile';

export class CreateJobNotificationProfileRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Failures to the NOC' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: JOB_OUTCOMES, isArray: true, example: ['failed', 'partially-succeeded'], description: 'Job outcomes reported' })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(JOB_OUTCOMES, { each: true })
  outcomes!: JobOutcome[];

  @ApiProperty({ type: [String], example: ['noc@partner.example'], description: 'Who receives the digests' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROFILE_RECIPIENTS)
  @IsEmail({}, { each: true })
  @MaxLength(254, { each: true })
  recipients!: string[];

  @ApiPropertyOptional({ minimum: MIN_INTERVAL_MINUTES, maximum: MAX_INTERVAL_MINUTES, default: 1440, description: 'At most one digest per customer per this many minutes' })
  @IsOptional()
  @IsInt()
  @Min(MIN_INTERVAL_MINUTES)
  @Max(MAX_INTERVAL_MINUTES)
  intervalMinutes?: number;

  @ApiPropertyOptional({ example: 'it', default: 'en', description: 'Language of the digests (en, it, fr, …)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'locale must be a BCP 47 language tag (en, it, fr, …)' })
  locale?: string;
}

export class UpdateJobNotificationProfileRequest extends PartialType(CreateJobNotificationProfileRequest) {}

export class JobNotificationProfileDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: JOB_OUTCOMES, isArray: true }) outcomes!: string[];
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() intervalMinutes!: number;
  @ApiProperty() locale!: string;
  @ApiProperty({ description: 'Stream version; the ETag is W/"<version>"' }) version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class JobNotificationProfileListDto {
  @ApiProperty({ type: [JobNotificationProfileDto] }) items!: JobNotificationProfileDto[];
}
