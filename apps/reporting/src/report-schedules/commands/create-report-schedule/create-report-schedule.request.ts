import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { BACKUP_PRODUCTS } from '../../../telemetry/domain/telemetry-records';
import { FREQUENCIES, TIME_RE, type Frequency } from '../../domain/recurrence';
import { SCHEDULE_NAME_MAX, SCHEDULE_RECIPIENTS_MAX } from '../../domain/report-schedule.decider';
import { SCHEDULED_REPORT_KINDS, type ScheduledReportKind } from '../../domain/report-schedule.events';

/** Body of `POST /api/v1/report-schedules` (F17). */
export class CreateReportScheduleRequest {
  @ApiProperty({ maxLength: SCHEDULE_NAME_MAX, example: 'Weekly job status' })
  @IsString()
  @Length(1, SCHEDULE_NAME_MAX)
  name!: string;

  @ApiProperty({ enum: SCHEDULED_REPORT_KINDS })
  @IsIn(SCHEDULED_REPORT_KINDS)
  reportKind!: ScheduledReportKind;

  @ApiProperty({ enum: ['csv', 'xlsx', 'pdf'] })
  @IsIn(['csv', 'xlsx', 'pdf'])
  format!: 'csv' | 'xlsx' | 'pdf';

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  details?: boolean;

  @ApiPropertyOptional({ enum: BACKUP_PRODUCTS, description: 'Job status only: one Cloud Backup product' })
  @IsOptional()
  @IsIn(BACKUP_PRODUCTS)
  product?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'File name base (sanitised; the period is appended)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  fileName?: string;

  @ApiProperty({ type: [String], example: ['ops@partner.example.com'], maxItems: SCHEDULE_RECIPIENTS_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCHEDULE_RECIPIENTS_MAX)
  @IsEmail({}, { each: true })
  recipients!: string[];

  @ApiProperty({ enum: FREQUENCIES })
  @IsIn(FREQUENCIES)
  frequency!: Frequency;

  @ApiProperty({ example: '08:00', description: 'Local time HH:mm in timeZone' })
  @IsString()
  @Matches(TIME_RE, { message: 'time must be HH:mm (24-hour)' })
  time!: string;

  @ApiProperty({ example: 'Europe/Rome', description: 'IANA time zone of the partner' })
  @IsString()
  @MaxLength(64)
  timeZone!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 7, description: 'Weekly: ISO weekday, 1 = Monday' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7)
  dayOfWeek?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 31, description: 'Monthly: day of the month (the last day in shorter months)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(31)
  dayOfMonth?: number;
}

export class ReportScheduleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SCHEDULED_REPORT_KINDS }) reportKind!: string;
  @ApiProperty({ enum: ['csv', 'xlsx', 'pdf'] }) format!: string;
  @ApiProperty() details!: boolean;
  @ApiProperty({ type: String, nullable: true }) product!: string | null;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty({ enum: FREQUENCIES }) frequency!: string;
  @ApiProperty() time!: string;
  @ApiProperty() timeZone!: string;
  @ApiPropertyOptional() dayOfWeek?: number;
  @ApiPropertyOptional() dayOfMonth?: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When it fires next (UTC)' }) nextRunAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Period of the last export sent' }) lastPeriod!: string | null;
}

export class ReportScheduleListView {
  @ApiProperty({ type: [ReportScheduleView] }) items!: ReportScheduleView[];
}
