import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class ChangeExpiredServicesVisibilityRequest {
  @ApiProperty({ description: 'true: the customer’s expired services are left out of its services list' })
  @IsBoolean()
  hidden!: boolean;
}
