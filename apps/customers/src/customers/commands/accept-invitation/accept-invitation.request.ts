import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class AcceptInvitationRequest {
  @ApiProperty({ maxLength: 320, example: 'admin@contoso.onmicrosoft.com', description: 'The signed-in customer admin' })
  @IsString()
  @Length(1, 320)
  registeredAccount!: string;
}

export class AcceptedInvitationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['active'] }) status!: 'active';
}
