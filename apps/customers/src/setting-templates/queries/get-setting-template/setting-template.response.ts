import { ApiProperty } from '@nestjs/swagger';
import type { CustomerSettingsChanges } from '../../../customers/domain/customer.events';
import { TemplateSettingsRequest } from '../../commands/create-setting-template/create-setting-template.request';

export class SettingTemplateResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ example: 'Italian SMB' })
  name!: string;
  @ApiProperty({ type: TemplateSettingsRequest })
  settings!: CustomerSettingsChanges;
  @ApiProperty({ type: [String], example: ['smb'] })
  tags!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  createdAt!: string | null;
}

export class SettingTemplateListResponse {
  @ApiProperty({ type: [SettingTemplateResponse] })
  items!: SettingTemplateResponse[];
}
