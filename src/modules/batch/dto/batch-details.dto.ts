import { ApiProperty } from '@nestjs/swagger';
import type { BatchProgress } from '../batch-progress';

export class BatchProgressDto implements BatchProgress {
  @ApiProperty({ type: 'integer' }) processed!: number;
  @ApiProperty({ type: 'integer' }) failed!: number;
  @ApiProperty({ type: 'integer' }) remaining!: number;
  @ApiProperty({ description: 'Share of items handled (processed or failed), 0–100, one decimal' })
  percent!: number;
}

/** What a batch item adds to its grid row (batchResource.item.details). */
export class BatchDetailsDto {
  @ApiProperty({ type: BatchProgressDto }) progress!: BatchProgressDto;
}
