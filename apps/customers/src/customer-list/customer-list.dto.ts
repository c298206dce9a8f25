import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { HEALTH_VALUES } from './customer-list-row';
import { LIST_SORTS, type ListSort } from './list-cursor';

/** `?tag=a&tag=b` arrives as an array, `?tag=a` as a string: both become an array. */
const asArray = () =>
  Transform(({ value }: { value: unknown }) => (value === undefined || Array.isArray(value) ? value : [value]));

/** Only the literal `true` / `false` are booleans; anything else stays as given and fails validation. */
const asBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

const LISTED_STATUSES = ['invited', 'active', 'revoked'] as const;
const SERVICE_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Read-your-writes, also accepted as the `X-Min-Position` header. */
export class MinPositionQueryDto {
  @ApiPropertyOptional({
    description: 'Answer only once the read model covers this log position (the X-Log-Position of a write); same as the X-Min-Position header',
    example: '81985529216486896',
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: 'minPosition must be a non-negative integer (decimal string)' })
  minPosition?: string;
}

export class ListCustomersQueryDto extends MinPositionQueryDto {
  @ApiPropertyOptional({ description: 'Part of the organisation name or primary domain; case- and accent-insensitive', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: LISTED_STATUSES, isArray: true, description: 'Repeat for OR' })
  @IsOptional()
  @asArray()
  @ArrayMaxSize(10)
  @IsIn(LISTED_STATUSES, { each: true })
  status?: string[];

  @ApiPropertyOptional({ type: [String], description: 'ISO 3166-1 alpha-2; repeat for OR', example: ['IT', 'FR'] })
  @IsOptional()
  @asArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z]{2}$/, { each: true, message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Customers with any of these tags' })
  @IsOptional()
  @asArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tag?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Started service codes; repeat for OR', example: ['cloud-backup-m365'] })
  @IsOptional()
  @asArray()
  @ArrayMaxSize(50)
  @Matches(SERVICE_CODE, { each: true, message: 'service must be a service code' })
  service?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Service codes with a live subscription; repeat for OR' })
  @IsOptional()
  @asArray()
  @ArrayMaxSize(50)
  @Matches(SERVICE_CODE, { each: true, message: 'product must be a service code' })
  product?: string[];

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @asBoolean()
  @IsBoolean({ message: 'hasOpenTickets must be true or false' })
  hasOpenTickets?: boolean;

  @ApiPropertyOptional({ enum: LIST_SORTS, default: 'name', description: 'health: customers needing attention first' })
  @IsOptional()
  @IsIn(LIST_SORTS)
  sort?: ListSort;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

export class GetCustomerQueryDto extends MinPositionQueryDto {
  @ApiPropertyOptional({ description: 'ISO 8601 time: the customer rebuilt from its history as it was then', example: '2026-01-31T12:00:00Z' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;
}

export class HistoryQueryDto extends MinPositionQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  cursor?: string;
}

// ---- responses (OpenAPI) ------------------------------------------------------------------------

export class CustomerListItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty() primaryDomain!: string;
  @ApiProperty({ enum: LISTED_STATUSES }) status!: string;
  @ApiProperty({ example: 'IT' }) countryCode!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: [String], description: 'Started services' }) services!: string[];
  @ApiProperty({ type: [String], description: 'Service codes with a live subscription' }) products!: string[];
  @ApiProperty() openTickets!: number;
  @ApiProperty({ enum: HEALTH_VALUES, nullable: true }) health!: string | null;
  @ApiProperty({ enum: ['partner', 'customer'] }) managementMode!: string;
  @ApiProperty({ nullable: true, description: 'null until accepted, and once personal data is erased' })
  registeredAccount!: string | null;
  @ApiProperty() hasLogo!: boolean;
  @ApiProperty({ description: 'Pinned by the calling user' }) pinned!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CustomerListPageDto {
  @ApiProperty({ type: [CustomerListItemDto] }) items!: CustomerListItemDto[];
  @ApiProperty({ description: 'Customers matching the filters (all pages)' }) total!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

class ReportDeliveryDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [String], nullable: true }) recipients!: string[] | null;
  @ApiPropertyOptional() billingProfileId?: string;
}

class LogoDto {
  @ApiProperty() contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() sha256!: string;
}

export class CustomerViewDto extends CustomerListItemDto {
  @ApiProperty() accountType!: string;
  @ApiProperty({ example: 'en' }) locale!: string;
  @ApiProperty({ nullable: true, type: String }) contactEmail!: string | null;
  @ApiProperty({ nullable: true, type: String }) indirectProviderId!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) invitationExpiresAt!: string | null;
  @ApiProperty({ nullable: true, type: ReportDeliveryDto }) billingReports!: ReportDeliveryDto | null;
  @ApiProperty({ nullable: true, type: ReportDeliveryDto }) serviceReports!: ReportDeliveryDto | null;
  @ApiProperty({ nullable: true, type: String }) jobNotificationProfileId!: string | null;
  @ApiProperty({ nullable: true, type: LogoDto }) logo!: LogoDto | null;
  @ApiProperty({ description: 'Stream version (the ETag)' }) version!: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'Set when the view was rebuilt with ?asOf' }) asOf?: string;
}

class ActorDto {
  @ApiProperty({ enum: ['user', 'service', 'system', 'customer'] }) type!: string;
  @ApiProperty() id!: string;
}

export class HistoryEntryDto {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'CustomerInvited' }) type!: string;
  @ApiProperty() streamVersion!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty() correlationId!: string;
  @ApiProperty({ nullable: true, type: String }) causationId!: string | null;
  @ApiProperty({ description: 'Personal fields were crypto-shredded (customer disconnected) and read as null' })
  personalDataErased!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryEntryDto] }) items!: HistoryEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class PinnedCustomersDto {
  @ApiProperty({ type: [CustomerListItemDto] }) items!: CustomerListItemDto[];
}

export class ColumnPreferencesDto {
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({ description: 'false: nothing saved yet, these are the defaults' }) saved!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) savedAt!: string | null;
}
