import { ApiProperty } from '@nestjs/swagger';

export class ReportActivityView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['generated', 'exported', 'scheduled-export'] }) activity!: string;
  @ApiProperty({ format: 'uuid', description: 'The generated report (download it with /api/v1/reports/{id}/file) or the export' }) reportId!: string;
  @ApiProperty({ example: 'storage-consumption', description: '`template` for reports generated from a template' }) reportKind!: string;
  @ApiProperty({ description: 'Template name or file name' }) reportName!: string;
  @ApiProperty({ enum: ['csv', 'xlsx', 'pdf'] }) format!: string;
  @ApiProperty({ type: Boolean, nullable: true }) details!: boolean | null;
  @ApiProperty() recipientCount!: number;
  @ApiProperty({ example: { type: 'user', id: '01936a30-0000-7000-8000-000000000009' } }) actor!: { type: string; id: string };
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

export class ReportActivityListView {
  @ApiProperty({ type: [ReportActivityView] }) items!: ReportActivityView[];
}
