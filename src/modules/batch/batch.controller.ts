import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../../core/auth/current-principal';
import type { Principal } from '../../core/context/request-context.service';
import { ApiGridColumns, ApiGridList, ApiGridValues } from '../../core/grid/grid-api';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { GridService } from '../../core/grid/grid.service';
import { ApiItemErrors, ApiWriteErrors } from '../../core/http/api-docs';
import { IdPipe } from '../../core/http/id.pipe';
import { BodyLimit } from '../../core/http/route-body-limit';
import { batchGrid } from './batch.grid';
import { BatchService } from './batch.service';
import { CancelBatchDto } from './dto/cancel-batch.dto';
import { BATCH_BODY_LIMIT_BYTES, CreateBatchDto } from './dto/create-batch.dto';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('batches')
export class BatchController {
  constructor(
    private readonly batches: BatchService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Batches grid' })
  @ApiGridList(batchGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.batches.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the batches grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(batchGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(batchGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.batches.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One batch with its progress (404 when it does not exist or is outside your scope)',
  })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.batches.get(caller, id);
  }

  @Post()
  @ApiOperation({
    summary:
      'Store a batch with all its items (1 to 10,000) in one transaction, status pending; processing follows',
  })
  @ApiCreatedResponse({ description: 'The batch with its progress' })
  @ApiWriteErrors()
  @ApiResponse({ status: 413, description: 'The body is larger than 16 MiB' })
  @BodyLimit(BATCH_BODY_LIMIT_BYTES)
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateBatchDto) {
    return this.batches.create(caller, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a pending, queued or processing batch (needs batch:edit)' })
  @ApiOkResponse({ description: 'The batch after the change' })
  @ApiWriteErrors()
  @ApiResponse({
    status: 409,
    description: 'BATCH_NOT_CANCELLABLE (already finished or cancelled) or VERSION_CONFLICT',
  })
  cancel(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: CancelBatchDto,
  ) {
    return this.batches.cancel(caller, id, dto);
  }
}
