import { ApiProperty } from '@nestjs/swagger';

export class RetryFailedCustomersResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ description: 'The new attempt (2 for the first retry)', example: 2 })
  attempt!: number;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The failed customers being edited again' })
  customerIds!: string[];
}
