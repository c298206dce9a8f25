import { ApiProperty } from '@nestjs/swagger';
import { REPORT_SECTIONS } from '../../domain/report-template.events';

export class ReportTemplateView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Monthly backup summary' }) name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: REPORT_SECTIONS, isArray: true }) sections!: string[];
  @ApiProperty({ description: 'Detail rows (every job, every storage sample) besides the summaries' }) details!: boolean;
  @ApiProperty({ type: [String], description: 'Customers the template is fixed to; empty = any customer' }) customerIds!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ReportTemplateListView {
  @ApiProperty({ type: [ReportTemplateView] }) items!: ReportTemplateView[];
}
