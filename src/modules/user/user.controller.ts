import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiGridRowResponse } from '../../core/grid/grid-api';
import { ApiItemErrors, ApiWriteErrors } from '../../core/http/api-docs';
import { IdPipe } from '../../core/http/id.pipe';
import { CreateUserDto } from './dto/create-user.dto';
import { SetUserRolesDto } from './dto/set-user-roles.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { Policy } from '../permission/policy.decorator';
import { userResource } from './user.resource';
import { UserService } from './user.service';
import { userGrid } from './user.grid';
import { UserDetailsDto } from './dto/user-details.dto';

const ADMIN_HUB =
  'Needs access to the admin hub; organization admins manage their own organization';

/** The item (with memberships) and writes; the grid routes come from userResource. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get(':id')
  @Policy(userResource, 'read')
  @ApiOperation({ summary: 'One user with its roles (404 outside your organization)' })
  @ApiGridRowResponse(userGrid, { extra: UserDetailsDto })
  @ApiItemErrors()
  get(@Param('id', IdPipe) id: number) {
    return this.users.get(id);
  }

  @Post()
  @Policy(userResource, 'create')
  @ApiOperation({ summary: 'Create a user (admin hub)', description: ADMIN_HUB })
  @ApiGridRowResponse(userGrid, {
    status: 201,
    description: 'The new user (never its password)',
    extra: UserDetailsDto,
  })
  @ApiWriteErrors()
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Patch(':id')
  @Policy(userResource, 'edit')
  @ApiOperation({
    summary: 'Change a user: name, email, password, active, organization admin (admin hub)',
    description: ADMIN_HUB,
  })
  @ApiGridRowResponse(userGrid, { description: 'The user after the change', extra: UserDetailsDto })
  @ApiWriteErrors()
  @ApiResponse({ status: 409, description: 'SELF_LOCKOUT: you cannot deactivate yourself' })
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }

  @Put(':id/roles')
  @Policy(userResource, 'roles')
  @ApiOperation({
    summary: "Replace a user's role memberships (admin hub)",
    description: ADMIN_HUB,
  })
  @ApiGridRowResponse(userGrid, { description: 'The user after the change', extra: UserDetailsDto })
  @ApiWriteErrors()
  setRoles(@Param('id', IdPipe) id: number, @Body() dto: SetUserRolesDto) {
    return this.users.setRoles(id, dto.roleIds);
  }

  @Delete(':id')
  @Policy(userResource, 'delete')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a user (admin hub); one with work on record answers 409: deactivate it',
    description: ADMIN_HUB,
  })
  @ApiNoContentResponse()
  @ApiItemErrors()
  @ApiResponse({
    status: 409,
    description: 'USER_IN_USE: has work on record, deactivate it; SELF_LOCKOUT',
  })
  remove(@Param('id', IdPipe) id: number) {
    return this.users.remove(id);
  }
}
