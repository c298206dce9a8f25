import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length } from 'class-validator';

export class ChangeTagsRequest {
  @ApiProperty({ type: [String], maxItems: 50, example: ['gold', 'italy'], description: 'The full tag set (1–64 characters each)' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tags!: string[];
}
