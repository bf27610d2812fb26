import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EnumField, IdField, NestedArrayField, TextField } from '../../../core/http/fields';
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
  @TextField({ max: 200, notBlank: true })
  name!: string;

  @ApiProperty({ enum: BATCH_SOURCES })
  @EnumField(BATCH_SOURCES)
  source!: string;

  @ApiProperty({
    type: [BatchItemDto],
    minItems: 1,
    maxItems: MAX_BATCH_ITEMS,
    description:
      'Stored with the batch in one transaction: one invalid item (400 naming items.<n>.<field>) stores nothing. The body may be up to 16 MiB (413 beyond it).',
  })
  @NestedArrayField(() => BatchItemDto, { minItems: 1, maxItems: MAX_BATCH_ITEMS })
  items!: BatchItemDto[];

  @ApiPropertyOptional({
    description:
      'Platform administrators only (they belong to no organization): the organization the batch is for',
  })
  @IdField({ optional: true })
  organizationId?: number;
}
