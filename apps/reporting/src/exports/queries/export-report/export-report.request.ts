import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { BACKUP_PRODUCTS } from '../../../telemetry/domain/telemetry-records';
import { EXPORT_FORMATS, type ExportFormat } from '../../domain/report-table';

/** Query of the export routes (F16, F17). */
export class ExportReportQuery {
  @ApiProperty({ enum: EXPORT_FORMATS })
  @IsIn(EXPORT_FORMATS)
  format!: ExportFormat;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Include the detail rows besides the summary' })
  @IsOptional()
  @IsIn(['true', 'false'])
  details?: 'true' | 'false';

  @ApiPropertyOptional({
    maxLength: 255,
    description: 'Name to save the file under; path separators and control characters are removed, the length is limited and the extension added',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;
}

export class ExportJobStatusQuery extends ExportReportQuery {
  @ApiPropertyOptional({ enum: BACKUP_PRODUCTS, description: 'Only this Cloud Backup product (e.g. cloud-backup-m365)' })
  @IsOptional()
  @IsIn(BACKUP_PRODUCTS)
  product?: string;
}
