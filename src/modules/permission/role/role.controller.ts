import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiGridRowResponse } from '../../../core/grid/grid-api';
import { ApiItemErrors, ApiWriteErrors } from '../../../core/http/api-docs';
import { IdPipe } from '../../../core/http/id.pipe';
import { CreateRoleDto } from './dto/create-role.dto';
import { SetRoleGrantsDto } from './dto/role-grants.dto';
import { UpdateRoleDto } from './dto/update-role.dto';
import { Policy } from '../policy.decorator';
import { roleResource } from './role.resource';
import { RoleService } from './role.service';
import { roleGrid } from './role.grid';
import { RoleDetailsDto } from './dto/role-details.dto';

const ADMIN_HUB =
  'Needs access to the admin hub (403 otherwise); organization admins manage their own organization. ' +
  'Takes effect on the next request of every member.';

/** The item (with grants and members) and writes; the grid routes come from roleResource. */
@ApiTags('roles')
@ApiBearerAuth()
@Controller('roles')
export class RoleController {
  constructor(private readonly roles: RoleService) {}

  @Get(':id')
  @Policy(roleResource, 'read')
  @ApiOperation({ summary: 'One role with its grants and members (admin hub)' })
  @ApiGridRowResponse(roleGrid, { extra: RoleDetailsDto })
  @ApiItemErrors()
  get(@Param('id', IdPipe) id: number) {
    return this.roles.get(id);
  }

  @Post()
  @Policy(roleResource, 'create')
  @ApiOperation({ summary: 'Create a role with its grants (admin hub)', description: ADMIN_HUB })
  @ApiGridRowResponse(roleGrid, {
    status: 201,
    description: 'The new role with its grants',
    extra: RoleDetailsDto,
  })
  @ApiWriteErrors()
  create(@Body() dto: CreateRoleDto) {
    return this.roles.create(dto);
  }

  @Patch(':id')
  @Policy(roleResource, 'edit')
  @ApiOperation({ summary: 'Rename a role or switch its admin hub access', description: ADMIN_HUB })
  @ApiGridRowResponse(roleGrid, { description: 'The role after the change', extra: RoleDetailsDto })
  @ApiWriteErrors()
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateRoleDto) {
    return this.roles.update(id, dto);
  }

  @Put(':id/grants')
  @Policy(roleResource, 'grants')
  @ApiOperation({
    summary: 'Replace grant sections of a role: entity actions, tabs, folders',
    description: ADMIN_HUB,
  })
  @ApiGridRowResponse(roleGrid, { description: 'The role after the change', extra: RoleDetailsDto })
  @ApiWriteErrors()
  setGrants(@Param('id', IdPipe) id: number, @Body() dto: SetRoleGrantsDto) {
    return this.roles.setGrants(id, dto);
  }

  @Delete(':id')
  @Policy(roleResource, 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a role, its grants and memberships', description: ADMIN_HUB })
  @ApiNoContentResponse()
  @ApiItemErrors()
  remove(@Param('id', IdPipe) id: number) {
    return this.roles.remove(id);
  }
}
