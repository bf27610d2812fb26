import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiGridRowResponse } from '../../core/grid/grid-api';
import { ApiWriteErrors } from '../../core/http/api-docs';
import { IdPipe } from '../../core/http/id.pipe';
import { BodyLimit } from '../../core/http/route-body-limit';
import { Policy } from '../permission/policy.decorator';
import { batchResource } from './batch.resource';
import { BatchBody } from './batch-body';
import type { PreparedBatch } from './batch-body';
import { BatchService } from './batch.service';
import { CancelBatchDto } from './dto/cancel-batch.dto';
import { BATCH_BODY_LIMIT_BYTES, CreateBatchDto } from './dto/create-batch.dto';
import { batchGrid } from './batch.grid';
import { BatchDetailsDto } from './dto/batch-details.dto';

/** Writes; the grid and item (with its progress) routes come from batchResource. */
@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchController {
  constructor(private readonly batches: BatchService) {}

  @Post()
  @Policy(batchResource, 'create')
  @ApiOperation({
    summary:
      'Store a batch with all its items (1 to 10,000) in one transaction, status pending; processing follows',
  })
  @ApiGridRowResponse(batchGrid, {
    status: 201,
    description: 'The batch with its progress',
    extra: BatchDetailsDto,
  })
  @ApiWriteErrors()
  @ApiResponse({ status: 413, description: 'The body is larger than 16 MiB' })
  @ApiBody({ type: CreateBatchDto })
  @BodyLimit(BATCH_BODY_LIMIT_BYTES, { prepare: 'create-batch' })
  create(@BatchBody() batch: PreparedBatch) {
    return this.batches.create(batch);
  }

  @Post(':id/cancel')
  @Policy(batchResource, 'cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a pending, queued or processing batch (needs batch:edit)' })
  @ApiGridRowResponse(batchGrid, {
    description: 'The batch after the change',
    extra: BatchDetailsDto,
  })
  @ApiWriteErrors()
  @ApiResponse({
    status: 409,
    description: 'BATCH_NOT_CANCELLABLE (already finished or cancelled) or VERSION_CONFLICT',
  })
  cancel(@Param('id', IdPipe) id: number, @Body() dto: CancelBatchDto) {
    return this.batches.cancel(id, dto);
  }
}
