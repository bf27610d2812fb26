import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../core/auth/current-principal';
import type { Principal } from '../../core/context/request-context.service';
import { ApiGridColumns, ApiGridList, ApiGridValues } from '../../core/grid/grid-api';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { GridService } from '../../core/grid/grid.service';
import { ApiItemErrors } from '../../core/http/api-docs';
import { IdPipe } from '../../core/http/id.pipe';
import { auditGrid } from './audit.grid';
import { AuditService } from './audit.service';

/** Read-only: audit rows are written by the changes themselves, in their transactions. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audit log grid (who changed what; needs audit view rights)' })
  @ApiGridList(auditGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.audit.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the audit grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(auditGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(auditGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.audit.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One audit entry (404 when it does not exist or is outside your scope)',
  })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.audit.get(caller, id);
  }
}
