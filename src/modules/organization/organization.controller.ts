import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { organizationGrid } from './organization.grid';
import { OrganizationService } from './organization.service';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationController {
  constructor(
    private readonly organizations: OrganizationService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Organizations grid (platform admins: all; others: their own)' })
  @ApiGridList(organizationGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.organizations.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the organizations grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(organizationGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(organizationGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.organizations.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One organization (404 when it does not exist or is not yours)',
  })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.organizations.get(caller, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Create an organization with its Inbox and Archive folders (platform admins)',
  })
  @ApiResponse({ status: 409, description: 'CONFLICT_DUPLICATE: the slug is taken' })
  @ApiWriteErrors()
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateOrganizationDto) {
    return this.organizations.create(caller, dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change an organization (platform admins; send the version you read)',
  })
  @ApiResponse({
    status: 409,
    description: 'VERSION_CONFLICT (stale version), CONFLICT_DUPLICATE: the slug is taken',
  })
  @ApiWriteErrors()
  @ApiOkResponse({ description: 'The organization after the change' })
  update(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateOrganizationDto,
  ) {
    return this.organizations.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Delete an organization holding no users, documents, mails or batches (platform admins)',
  })
  @ApiNoContentResponse()
  @ApiItemErrors()
  @ApiResponse({
    status: 409,
    description: 'ORGANIZATION_NOT_EMPTY: it still holds users, documents, mails or batches',
  })
  remove(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.organizations.remove(caller, id);
  }
}
