import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
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
import { Policy } from '../permission/policy.decorator';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import { UpdateOrganizationDto } from './dto/update-organization.dto';
import { organizationResource } from './organization.resource';
import { OrganizationService } from './organization.service';
import { organizationGrid } from './organization.grid';

/** Writes (platform admins); the grid and item routes come from organizationResource. */
@ApiTags('organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationController {
  constructor(private readonly organizations: OrganizationService) {}

  @Post()
  @Policy(organizationResource, 'create')
  @ApiOperation({
    summary: 'Create an organization with its Inbox and Archive folders (platform admins)',
  })
  @ApiResponse({ status: 409, description: 'CONFLICT_DUPLICATE: the slug is taken' })
  @ApiWriteErrors()
  @ApiGridRowResponse(organizationGrid, { status: 201, description: 'The new organization' })
  create(@Body() dto: CreateOrganizationDto) {
    return this.organizations.create(dto);
  }

  @Patch(':id')
  @Policy(organizationResource, 'edit')
  @ApiOperation({
    summary: 'Change an organization (platform admins; send the version you read)',
  })
  @ApiResponse({
    status: 409,
    description: 'VERSION_CONFLICT (stale version), CONFLICT_DUPLICATE: the slug is taken',
  })
  @ApiWriteErrors()
  @ApiGridRowResponse(organizationGrid, { description: 'The organization after the change' })
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateOrganizationDto) {
    return this.organizations.update(id, dto);
  }

  @Delete(':id')
  @Policy(organizationResource, 'delete')
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
  remove(@Param('id', IdPipe) id: number) {
    return this.organizations.remove(id);
  }
}
