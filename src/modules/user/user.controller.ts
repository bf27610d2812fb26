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
import { CreateUserDto } from './dto/create-user.dto';
import { SetUserRolesDto } from './dto/set-user-roles.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { userGrid } from './user.grid';
import { UserService } from './user.service';

const ADMIN_HUB =
  'Needs access to the admin hub; organization admins manage their own organization';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UserController {
  constructor(
    private readonly users: UserService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Users grid (your organization; platform admins: all)' })
  @ApiGridList(userGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.users.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the users grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(userGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(userGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.users.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user with its roles (404 outside your organization)' })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.users.get(caller, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user (admin hub)', description: ADMIN_HUB })
  @ApiCreatedResponse({ description: 'The new user (never its password)' })
  @ApiWriteErrors()
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateUserDto) {
    return this.users.create(caller, dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user: name, email, password, active, organization admin (admin hub)',
    description: ADMIN_HUB,
  })
  @ApiOkResponse({ description: 'The user after the change' })
  @ApiWriteErrors()
  @ApiResponse({ status: 409, description: 'SELF_LOCKOUT: you cannot deactivate yourself' })
  update(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateUserDto,
  ) {
    return this.users.update(caller, id, dto);
  }

  @Put(':id/roles')
  @ApiOperation({
    summary: "Replace a user's role memberships (admin hub)",
    description: ADMIN_HUB,
  })
  @ApiOkResponse({ description: 'The user after the change' })
  @ApiWriteErrors()
  setRoles(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: SetUserRolesDto,
  ) {
    return this.users.setRoles(caller, id, dto.roleIds);
  }

  @Delete(':id')
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
