import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiGridList } from '../../core/grid/grid-api';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { ApiGridRowResponse } from '../../core/grid/grid-api';
import { ApiItemErrors, ApiWriteErrors } from '../../core/http/api-docs';
import { IdPipe } from '../../core/http/id.pipe';
import { AssignMailDto } from './dto/assign-mail.dto';
import { CreateMailDto } from './dto/create-mail.dto';
import { MailActionDto } from './dto/mail-action.dto';
import { MailStatusDto } from './dto/mail-status.dto';
import { UpdateMailDto } from './dto/update-mail.dto';
import { Policy } from '../permission/policy.decorator';
import { userGrid } from '../user/user.grid';
import { mailResource } from './mail.resource';
import { MailWorkflowService } from './mail-workflow.service';
import { MailService } from './mail.service';
import { mailGrid } from './mail.grid';

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
  ) {}

  @Post()
  @Policy(mailResource, 'create')
  @ApiOperation({ summary: 'Enter a mail by hand (status new, unassigned)' })
  @ApiGridRowResponse(mailGrid, { status: 201, description: 'The mail as the grid shows it' })
  @ApiWriteErrors()
  create(@Body() dto: CreateMailDto) {
    return this.mails.create(dto);
  }

  @Patch(':id')
  @Policy(mailResource, 'edit')
  @ApiOperation({
    summary: 'Change subject, sender, priority or folder (send the version you read)',
  })
  @ApiGridRowResponse(mailGrid, { description: 'The mail after the change' })
  @ApiWriteErrors()
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateMailDto) {
    return this.mails.update(id, dto);
  }

  @Delete(':id')
  @Policy(mailResource, 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a mail' })
  @ApiNoContentResponse()
  @ApiItemErrors()
  remove(@Param('id', IdPipe) id: number) {
    return this.mails.remove(id);
  }

  @Get(':id/assignees')
  @Policy(mailResource, 'assign')
  @ApiOperation({
    summary:
      'Who the mail may be assigned to: active members of its organization who may read it by their own rights (mail view, and view in its folder), as the users grid pages them (search, filter, sort, limit, cursor). Needs mail:assign and the mail in your assign scope (404 outside your read scope, 403 visible but not yours to assign)',
  })
  @ApiGridList(userGrid)
  @ApiItemErrors()
  assignees(@Param('id', IdPipe) id: number, @Query() query: RawQuery) {
    return this.mails.assignees(id, query);
  }

  @Post(':id/assign')
  @Policy(mailResource, 'assign')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Assign to an active member of the organization who may read the mail by his own rights (400 VALIDATION_ASSIGNEE when no active member, 422 MAIL_ASSIGNEE_CANNOT_READ naming userId when he may not read it; GET :id/assignees lists them) (needs mail:assign); new mail becomes assigned. Platform administrators cannot assign (403 MAIL_ASSIGNER_NOT_MEMBER): they belong to no organization',
  })
  @ApiGridRowResponse(mailGrid, { description: 'The mail after the change' })
  @ApiWriteErrors()
  @ApiResponse({
    status: 422,
    description:
      'MAIL_ASSIGNEE_CANNOT_READ naming userId: the user may not read this mail by his own rights',
  })
  @TRANSITION_409
  assign(@Param('id', IdPipe) id: number, @Body() dto: AssignMailDto) {
    return this.workflow.assign(id, dto);
  }

  @Post(':id/unassign')
  @Policy(mailResource, 'unassign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take the assignment back (needs mail:assign); the mail becomes new' })
  @ApiGridRowResponse(mailGrid, { description: 'The mail after the change' })
  @ApiWriteErrors()
  @TRANSITION_409
  unassign(@Param('id', IdPipe) id: number, @Body() dto: MailActionDto) {
    return this.workflow.unassign(id, dto);
  }

  @Post(':id/status')
  @Policy(mailResource, 'status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move the status along the workflow (needs mail:edit, or be the assignee)',
  })
  @ApiGridRowResponse(mailGrid, { description: 'The mail after the change' })
  @ApiWriteErrors()
  @TRANSITION_409
  setStatus(@Param('id', IdPipe) id: number, @Body() dto: MailStatusDto) {
    return this.workflow.setStatus(id, dto);
  }
}
