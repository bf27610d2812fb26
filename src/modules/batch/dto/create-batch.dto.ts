import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { BATCH_SOURCES } from '../batch.grid';
import { BatchItemDto } from './batch-item.dto';

export const MAX_BATCH_ITEMS = 10_000;
/**
 * Body limit of POST /api/batches: 10,000 items of ~1.6 KB, the most a valid item
 * holds (subject, sender, document title at their maximum lengths), in plain JSON.
 */
export const BATCH_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export class CreateBatchDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  name!: string;

  @ApiProperty({ enum: BATCH_SOURCES })
  @IsIn(BATCH_SOURCES)
  source!: string;

  @ApiProperty({
    type: [BatchItemDto],
    minItems: 1,
    maxItems: MAX_BATCH_ITEMS,
    description:
      'Stored with the batch in one transaction: one invalid item (400 naming items.<n>.<field>) stores nothing. The body may be up to 16 MiB (413 beyond it).',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  items!: BatchItemDto[];

  @ApiPropertyOptional({
    description:
      'Platform administrators only (they belong to no organization): the organization the batch is for',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  organizationId?: number;
}
