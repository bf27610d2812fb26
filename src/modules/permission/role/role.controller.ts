import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../../../core/auth/current-principal';
import type { Principal } from '../../../core/context/request-context.service';
import { ApiGridColumns, ApiGridList, ApiGridValues } from '../../../core/grid/grid-api';
import type { RawQuery } from '../../../core/grid/grid-query.parser';
import { ApiItemErrors, ApiWriteErrors } from '../../../core/http/api-docs';
import { IdPipe } from '../../../core/http/id.pipe';
import { CreateRoleDto } from './dto/create-role.dto';
import { SetRoleGrantsDto } from './dto/role-grants.dto';
import { UpdateRoleDto } from './dto/update-role.dto';
import { roleGrid } from './role.grid';
import { RoleService } from './role.service';

const ADMIN_HUB =
  'Needs access to the admin hub (403 otherwise); organization admins manage their own organization. ' +
  'Takes effect on the next request of every member.';

@ApiTags('roles')
@ApiBearerAuth()
@Controller('roles')
export class RoleController {
  constructor(private readonly roles: RoleService) {}

  @Get()
  @ApiOperation({ summary: 'Roles grid (admin hub)', description: ADMIN_HUB })
  @ApiGridList(roleGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.roles.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the roles grid (admin hub)' })
  @ApiGridColumns()
  columns() {
    return this.roles.columns();
  }

  @Get('columns/:column/values')
  @ApiOperation({ summary: 'Distinct values of a roles grid column with counts (admin hub)' })
  @ApiGridValues(roleGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.roles.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One role with its grants and members (admin hub)' })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.roles.get(caller, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a role with its grants (admin hub)', description: ADMIN_HUB })
  @ApiCreatedResponse({ description: 'The new role with its grants' })
  @ApiWriteErrors()
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateRoleDto) {
    return this.roles.create(caller, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a role or switch its admin hub access', description: ADMIN_HUB })
  @ApiOkResponse({ description: 'The role after the change' })
  @ApiWriteErrors()
  update(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateRoleDto,
  ) {
    return this.roles.update(caller, id, dto);
  }

  @Put(':id/grants')
  @ApiOperation({
    summary: 'Replace grant sections of a role: entity actions, tabs, folders',
    description: ADMIN_HUB,
  })
  @ApiOkResponse({ description: 'The role after the change' })
  @ApiWriteErrors()
  setGrants(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: SetRoleGrantsDto,
  ) {
    return this.roles.setGrants(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a role, its grants and memberships', description: ADMIN_HUB })
  @ApiNoContentResponse()
  @ApiItemErrors()
  remove(@Param('id', IdPipe) id: number) {
    return this.roles.remove(id);
  }
}
