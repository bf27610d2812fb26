import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../core/auth/current-principal';
import type { Principal } from '../../core/context/request-context.service';
import { ApiGridColumns, ApiGridList, ApiGridValues } from '../../core/grid/grid-api';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { GridService } from '../../core/grid/grid.service';
import { inboxGrid } from './inbox.grid';
import { MailService } from './mail.service';

/** The caller's own work: mail assigned to them. Items are read and changed under /api/mails. */
@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly mails: MailService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Mails assigned to you' })
  @ApiGridList(inboxGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.mails.inbox(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the inbox grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(inboxGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column in your inbox, with counts, under the other filters',
  })
  @ApiGridValues(inboxGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.mails.inboxValues(caller, column, query);
  }
}
