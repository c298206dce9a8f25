import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { ManagementMode } from '../../domain/customer.events';

export class ChangeManagementModeRequest {
  @ApiProperty({ enum: ['customer', 'partner'], description: "Only 'customer' changes anything; going back to 'partner' is refused (409)" })
  @IsIn(['customer', 'partner'])
  mode!: ManagementMode;
}
