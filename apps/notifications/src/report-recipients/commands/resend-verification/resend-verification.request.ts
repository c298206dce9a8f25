import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';

export class ResendVerificationRequest {
  @ApiProperty({ example: 'reports@contoso.com', description: 'One of the customer’s report recipients that is not verified yet' })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class VerificationRequestDto {
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['pending'] }) state!: 'pending';
  @ApiProperty({ format: 'date-time', description: 'When the new link stops working' }) expiresAt!: string;
}
