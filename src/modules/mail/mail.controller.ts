import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
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
import { AssignMailDto } from './dto/assign-mail.dto';
import { CreateMailDto } from './dto/create-mail.dto';
import { MailActionDto } from './dto/mail-action.dto';
import { MailStatusDto } from './dto/mail-status.dto';
import { UpdateMailDto } from './dto/update-mail.dto';
import { mailGrid } from './mail.grid';
import { MailWorkflowService } from './mail-workflow.service';
import { MailService } from './mail.service';

const TRANSITION_409 = ApiResponse({
  status: 409,
  description:
    'MAIL_TRANSITION_NOT_ALLOWED naming from and to (new→assigned by assigning; assigned→in_progress→done→archived by status; assigned/in_progress→new by unassigning), or VERSION_CONFLICT',
});

@ApiTags('mails')
@ApiBearerAuth()
@Controller('mails')
export class MailController {
  constructor(
    private readonly mails: MailService,
    private readonly workflow: MailWorkflowService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Mails grid (unfiled mail and your own assignments included in your scope)',
  })
  @ApiGridList(mailGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.mails.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the mails grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(mailGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(mailGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.mails.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One mail (404 when it does not exist or is outside your scope)' })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.mails.get(caller, id);
  }

  @Post()
  @ApiOperation({ summary: 'Enter a mail by hand (status new, unassigned)' })
  @ApiCreatedResponse({ description: 'The mail as the grid shows it' })
  @ApiWriteErrors()
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateMailDto) {
    return this.mails.create(caller, dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change subject, sender, priority or folder (send the version you read)',
  })
  @ApiOkResponse({ description: 'The mail after the change' })
  @ApiWriteErrors()
  update(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateMailDto,
  ) {
    return this.mails.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a mail' })
  @ApiNoContentResponse()
  @ApiItemErrors()
  remove(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.mails.remove(caller, id);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Assign to an active member of the organization (needs mail:assign); new mail becomes assigned. Platform administrators cannot assign (403 MAIL_ASSIGNER_NOT_MEMBER): they belong to no organization',
  })
  @ApiOkResponse({ description: 'The mail after the change' })
  @ApiWriteErrors()
  @TRANSITION_409
  assign(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: AssignMailDto,
  ) {
    return this.workflow.assign(caller, id, dto);
  }

  @Post(':id/unassign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take the assignment back (needs mail:assign); the mail becomes new' })
  @ApiOkResponse({ description: 'The mail after the change' })
  @ApiWriteErrors()
  @TRANSITION_409
  unassign(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: MailActionDto,
  ) {
    return this.workflow.unassign(caller, id, dto);
  }

  @Post(':id/status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move the status along the workflow (needs mail:edit, or be the assignee)',
  })
  @ApiOkResponse({ description: 'The mail after the change' })
  @ApiWriteErrors()
  @TRANSITION_409
  setStatus(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: MailStatusDto,
  ) {
    return this.workflow.setStatus(caller, id, dto);
  }
}
