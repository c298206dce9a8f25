import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { HEALTH_STATES } from '@platform/contracts';
import { BACKUP_PRODUCTS, JOB_STATUSES } from '../../../telemetry/domain/telemetry-records';
import { SERVICE_STATES, SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../domain/dashboard-view';
import { FORECAST_METHOD } from '../../domain/storage-forecast';

const toArray = () => Transform(({ value }: { value: unknown }) => (value === undefined || Array.isArray(value) ? value : [value]));

export class DashboardQueryDto {
  @ApiPropertyOptional({ enum: SUBSCRIPTION_STATUSES, isArray: true, description: 'Products & subscriptions with these statuses only (repeat for several)' })
  @IsOptional()
  @toArray()
  @IsIn(SUBSCRIPTION_STATUSES, { each: true })
  status?: SubscriptionStatus[];

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 30, description: 'Time range of the unusual activities section, in days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  unusualActivityDays?: number;
}

export class SuspiciousItemsQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx'])
  format?: 'json' | 'xlsx';

  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 30 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  unusualActivityDays?: number;
}

class SubscriptionItemDto {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ example: 'cloud-backup-m365' }) serviceCode!: string;
  @ApiProperty({ enum: ['trial', 'paid'] }) plan!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ enum: ['seats', 'storage-gb'] }) unit!: string;
  @ApiProperty({ format: 'date-time' }) termEndsAt!: string;
  @ApiProperty() pooled!: boolean;
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES }) status!: string;
  @ApiProperty({ enum: SERVICE_STATES }) serviceState!: string;
}

class SubscriptionCountsDto {
  @ApiProperty() active!: number;
  @ApiProperty() trial!: number;
  @ApiProperty() expired!: number;
}

class ProductsAndSubscriptionsDto {
  @ApiProperty({ enum: SUBSCRIPTION_STATUSES, isArray: true, description: 'The filter applied (empty: all)' }) statusFilter!: string[];
  @ApiProperty({ type: SubscriptionCountsDto, description: 'Counts by status, before filtering' }) counts!: SubscriptionCountsDto;
  @ApiProperty({ type: [SubscriptionItemDto] }) items!: SubscriptionItemDto[];
}

class IncidentDto {
  @ApiProperty() incidentId!: string;
  @ApiProperty() service!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['advisory', 'incident'] }) severity!: string;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

class ServiceHealthDto {
  @ApiProperty({ enum: HEALTH_STATES }) status!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) since!: string | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiProperty({ type: [IncidentDto] }) openIncidents!: IncidentDto[];
  @ApiProperty({ type: [IncidentDto], description: 'Resolved in the last 30 days' }) recentlyResolved!: IncidentDto[];
}

class ReportActivityItemDto {
  @ApiProperty() activityId!: string;
  @ApiProperty({ example: 'generated', description: 'generated (F15) or exported (F16)' }) activity!: string;
  @ApiProperty() reportId!: string;
  @ApiProperty({ example: 'template' }) reportKind!: string;
  @ApiProperty() reportName!: string;
  @ApiProperty({ enum: ['pdf', 'csv', 'xlsx'] }) format!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

class ReportActivityDto {
  @ApiProperty({ type: [ReportActivityItemDto], description: 'Newest first, at most 20' }) items!: ReportActivityItemDto[];
}

class BackupJobDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() workload!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) endedAt!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty() items!: number;
  @ApiProperty() bytes!: number;
}

class JobCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() succeeded!: number;
  @ApiProperty() partiallySucceeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() canceled!: number;
}

class ProductBackupDto {
  @ApiProperty({ enum: BACKUP_PRODUCTS }) product!: string;
  @ApiProperty({ type: BackupJobDto }) lastJob!: BackupJobDto;
  @ApiProperty({ type: JobCountsDto }) jobsLast30Days!: JobCountsDto;
  @ApiProperty({ nullable: true, type: Number, description: 'Succeeded / all jobs ended in the last 30 days (0–1)' }) successRate!: number | null;
}

class BackupStatusDto {
  @ApiProperty() successRateDays!: number;
  @ApiProperty({ type: [ProductBackupDto] }) products!: ProductBackupDto[];
}

class DailyBytesDto {
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() usedBytes!: number;
}

class ProductStorageDto {
  @ApiProperty({ enum: BACKUP_PRODUCTS }) product!: string;
  @ApiProperty() usedBytes!: number;
  @ApiProperty({ nullable: true, type: Number }) quotaBytes!: number | null;
  @ApiProperty({ format: 'date-time' }) sampledAt!: string;
  @ApiProperty({ type: [DailyBytesDto] }) last30Days!: DailyBytesDto[];
}

class StorageReportDto {
  @ApiProperty({ type: [ProductStorageDto] }) products!: ProductStorageDto[];
}

class SuspiciousFileDto {
  @ApiProperty() path!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ format: 'date-time' }) modifiedAt?: string;
}

class FindingDto {
  @ApiProperty() findingId!: string;
  @ApiProperty({ format: 'date-time' }) detectedAt!: string;
  @ApiProperty({ enum: ['onedrive', 'sharepoint-site'] }) workspaceType!: string;
  @ApiProperty() workspace!: string;
  @ApiProperty() activity!: string;
  @ApiProperty() ransomwareSuspected!: boolean;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: string;
  @ApiProperty({ type: [SuspiciousFileDto], description: 'The first 20 (the export has all)' }) suspiciousFiles!: SuspiciousFileDto[];
  @ApiPropertyOptional() suspiciousFileCount?: number;
}

class UnusualActivitiesDto {
  @ApiProperty() rangeDays!: number;
  @ApiProperty() suspiciousWorkspaces!: number;
  @ApiProperty() suspiciousOneDrives!: number;
  @ApiProperty() suspiciousSharePointSites!: number;
  @ApiProperty() ransomwareSuspected!: number;
  @ApiProperty() suspiciousFiles!: number;
  @ApiProperty({ type: [FindingDto], description: 'Newest first, at most 50' }) items!: FindingDto[];
}

class NonCompliantRuleDto {
  @ApiProperty() ruleId!: string;
  @ApiProperty() ruleName!: string;
  @ApiProperty() violationsUnfixed!: number;
  @ApiProperty({ format: 'date-time' }) scannedAt!: string;
}

class PolicyMonitorDto {
  @ApiProperty() compliantRules!: number;
  @ApiProperty() nonCompliantRules!: number;
  @ApiProperty() fixedViolations!: number;
  @ApiProperty() unfixedViolations!: number;
  @ApiProperty({ type: [NonCompliantRuleDto] }) nonCompliant!: NonCompliantRuleDto[];
}

class RiskCountsDto {
  @ApiProperty() highRiskItems!: number;
  @ApiProperty() mediumRiskItems!: number;
  @ApiProperty() sensitiveItems!: number;
  @ApiProperty() externalUsers!: number;
  @ApiProperty() externalLinks!: number;
}

class RiskDayDto extends RiskCountsDto {
  @ApiProperty({ format: 'date' }) date!: string;
}

class RiskLatestDto extends RiskCountsDto {
  @ApiProperty({ format: 'date-time' }) sampledAt!: string;
}

class RiskInsightsDto {
  @ApiProperty() trendDays!: number;
  @ApiProperty({ type: RiskLatestDto, nullable: true }) latest!: RiskLatestDto | null;
  @ApiProperty({ type: [RiskDayDto], description: 'Last 7 days' }) trend!: RiskDayDto[];
  @ApiProperty({ type: RiskCountsDto, nullable: true, description: 'Last minus first value of the 7 days' }) change!: RiskCountsDto | null;
}

class ForecastDto {
  @ApiProperty({ example: FORECAST_METHOD }) method!: string;
  @ApiProperty() basedOnSamples!: number;
  @ApiProperty() slopeBytesPerDay!: number;
  @ApiProperty({ description: 'Coefficient of determination of the fit' }) r2!: number;
  @ApiProperty({ type: [DailyBytesDto] }) next90Days!: DailyBytesDto[];
}

class MonthlyBudgetDto {
  @ApiProperty({ nullable: true, type: Number }) usedBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) quotaBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Growth per 30 days on the fitted trend' }) estimatedMonthlyGrowthBytes!: number | null;
  @ApiProperty({ nullable: true, type: Number }) projectedUsedBytesIn30Days!: number | null;
  @ApiProperty({ nullable: true, type: Number }) monthsUntilQuotaReached!: number | null;
}

class SharePointStorageDto {
  @ApiProperty() historyDays!: number;
  @ApiProperty({ type: [DailyBytesDto] }) last90Days!: DailyBytesDto[];
  @ApiProperty({ type: ForecastDto, nullable: true }) forecast!: ForecastDto | null;
  @ApiProperty({ type: MonthlyBudgetDto }) monthlyBudget!: MonthlyBudgetDto;
}

export class DashboardDto {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty({ nullable: true, type: String }) organizationName!: string | null;
  @ApiProperty({ enum: ['partner', 'customer'] }) managementMode!: string;
  @ApiProperty({ description: 'True in customer management mode: only products & subscriptions are returned' }) accessDisabled!: boolean;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: ProductsAndSubscriptionsDto }) productsAndSubscriptions!: ProductsAndSubscriptionsDto;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) lastTelemetryAt?: string | null;
  @ApiPropertyOptional({ type: ServiceHealthDto }) serviceHealth?: ServiceHealthDto;
  @ApiPropertyOptional({ type: ReportActivityDto }) reportActivity?: ReportActivityDto;
  @ApiPropertyOptional({ type: BackupStatusDto }) backupStatus?: BackupStatusDto;
  @ApiPropertyOptional({ type: StorageReportDto }) storageReport?: StorageReportDto;
  @ApiPropertyOptional({ type: UnusualActivitiesDto }) unusualActivities?: UnusualActivitiesDto;
  @ApiPropertyOptional({ type: PolicyMonitorDto }) policyMonitor?: PolicyMonitorDto;
  @ApiPropertyOptional({ type: RiskInsightsDto }) riskInsights?: RiskInsightsDto;
  @ApiPropertyOptional({ type: SharePointStorageDto }) sharePointStorage?: SharePointStorageDto;
}

export class SuspiciousItemsDto {
  @ApiProperty({ format: 'uuid' }) customerId!: string;
  @ApiProperty() rangeDays!: number;
  @ApiProperty({ type: [FindingDto] }) findings!: FindingDto[];
}
