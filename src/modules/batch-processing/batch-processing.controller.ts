import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiItemErrors } from '../../core/http/api-docs';
import { IdPipe } from '../../core/http/id.pipe';
import { batchResource } from '../batch/batch.resource';
import { Policy } from '../permission/policy.decorator';
import { BatchProcessingService } from './batch-processing.service';
import { ApiGridRowResponse } from '../../core/grid/grid-api';
import { batchGrid } from '../batch/batch.grid';
import { BatchDetailsDto } from '../batch/dto/batch-details.dto';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchProcessingController {
  constructor(private readonly batches: BatchProcessingService) {}

  @Post(':id/retry')
  @Policy(batchResource, 'retry')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Retry a batch: its failed items go back to pending and it is processed again (a cancelled batch resumes)',
  })
  @ApiGridRowResponse(batchGrid, {
    status: 202,
    description:
      'The batch as GET /batches/{id} answers it (with its progress), pending or queued again',
    extra: BatchDetailsDto,
  })
  @ApiItemErrors()
  @ApiResponse({
    status: 409,
    description: 'BATCH_NOT_RETRYABLE: the batch is still being processed or completed cleanly',
  })
  retry(@Param('id', IdPipe) id: number) {
    return this.batches.retry(id);
  }
}
