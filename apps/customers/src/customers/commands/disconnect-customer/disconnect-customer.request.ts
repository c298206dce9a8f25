import { ApiProperty } from '@nestjs/swagger';
import { Allow } from 'class-validator';

export class DisconnectCustomerRequest {
  // Checked by the decider (after the tenant check), so a wrong value answers CUSTOMER.CONFIRMATION_REQUIRED.
  @ApiProperty({ enum: ['Yes'], description: 'Exactly "Yes": the disconnection cannot be undone' })
  @Allow()
  confirmation!: unknown;
}
