import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString } from 'class-validator';
import { LIST_COLUMNS } from '../../domain/list-columns';

export class SaveColumnPreferencesRequest {
  @ApiProperty({
    description: 'The customer-list columns to show, in this order',
    type: [String],
    enum: LIST_COLUMNS,
    example: ['name', 'status', 'country', 'openTickets', 'health'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(LIST_COLUMNS.length)
  @ArrayUnique()
  @IsString({ each: true })
  @IsIn(LIST_COLUMNS, { each: true })
  columns!: string[];
}

export class SavedColumnPreferencesResponse {
  @ApiProperty({ type: [String], enum: LIST_COLUMNS })
  columns!: string[];
  @ApiProperty({ description: 'Always true once saved' })
  saved!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  savedAt!: string | null;
}
