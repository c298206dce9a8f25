import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { API_KEY_NAME_MAX } from '../../domain/api-key.decider';

export class CreateApiKeyRequest {
  @ApiProperty({ example: 'Cloud Backup EU-West', minLength: 1, maxLength: API_KEY_NAME_MAX, description: 'What the key is for' })
  @IsString()
  @Length(1, API_KEY_NAME_MAX)
  name!: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'First characters of the key, to tell keys apart', example: 'rk_0192e5f0aa1' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret key, shown only in this answer: send it as X-Api-Key', example: 'rk_0192e5f0aa1b7c3d8e9f00112233aabb_…' })
  key!: string;
}
