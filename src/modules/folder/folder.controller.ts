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
import { CreateFolderDto } from './dto/create-folder.dto';
import { UpdateFolderDto } from './dto/update-folder.dto';
import { folderGrid } from './folder.grid';
import { FolderService } from './folder.service';

const TREE_RULES =
  'FOLDER_SYSTEM (Inbox and Archive cannot be renamed, moved or deleted), FOLDER_CYCLE (a move into its own subtree), FOLDER_TOO_DEEP (past 33 levels), CONFLICT_DUPLICATE (a sibling has this name, parameter name)';

@ApiTags('folders')
@ApiBearerAuth()
@Controller('folders')
export class FolderController {
  constructor(
    private readonly folders: FolderService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Folders grid (filter[parent_id]=… for one level, filter[parent_id][isNull]=true for the top)',
  })
  @ApiGridList(folderGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.folders.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the folders grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(folderGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(folderGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.folders.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One folder (404 when it does not exist or is outside your scope)' })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.folders.get(caller, id);
  }

  @Post()
  @ApiOperation({
    summary:
      'Create a folder: folder:create, and a create grant on the parent (admins only at the top level)',
  })
  @ApiResponse({ status: 409, description: TREE_RULES })
  @ApiWriteErrors()
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateFolderDto) {
    return this.folders.create(caller, dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Rename and/or move a folder with its whole subtree (send the version you read): folder:edit, an edit grant on the folder and a create grant on the new parent',
  })
  @ApiResponse({ status: 409, description: `VERSION_CONFLICT (stale version), ${TREE_RULES}` })
  @ApiWriteErrors()
  @ApiOkResponse({ description: 'The folder after the change' })
  update(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateFolderDto,
  ) {
    return this.folders.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an empty folder: folder:delete and a delete grant on the folder',
  })
  @ApiNoContentResponse()
  @ApiItemErrors()
  @ApiResponse({
    status: 409,
    description:
      'FOLDER_NOT_EMPTY (it still holds subfolders, documents or mails), FOLDER_SYSTEM, CONFLICT_REFERENCE',
  })
  remove(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.folders.remove(caller, id);
  }
}
