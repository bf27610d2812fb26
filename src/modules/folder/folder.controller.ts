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
import { CreateFolderDto } from './dto/create-folder.dto';
import { UpdateFolderDto } from './dto/update-folder.dto';
import { Policy } from '../permission/policy.decorator';
import { folderResource } from './folder.resource';
import { FolderService } from './folder.service';
import { folderGrid } from './folder.grid';

const TREE_RULES =
  'FOLDER_SYSTEM (Inbox and Archive cannot be renamed, moved or deleted), FOLDER_CYCLE (a move into its own subtree), FOLDER_TOO_DEEP (past 33 levels), CONFLICT_DUPLICATE (a sibling has this name, parameter name)';

/** Writes; the grid and item routes come from folderResource. */
@ApiTags('folders')
@ApiBearerAuth()
@Controller('folders')
export class FolderController {
  constructor(private readonly folders: FolderService) {}

  @Post()
  @Policy(folderResource, 'create')
  @ApiOperation({
    summary:
      'Create a folder: folder:create, and a create grant on the parent (admins only at the top level)',
  })
  @ApiResponse({ status: 409, description: TREE_RULES })
  @ApiWriteErrors()
  @ApiGridRowResponse(folderGrid, { status: 201, description: 'The new folder' })
  create(@Body() dto: CreateFolderDto) {
    return this.folders.create(dto);
  }

  @Patch(':id')
  @Policy(folderResource, 'edit')
  @ApiOperation({
    summary:
      'Rename and/or move a folder with its whole subtree (send the version you read): folder:edit, an edit grant on the folder and a create grant on the new parent',
  })
  @ApiResponse({ status: 409, description: `VERSION_CONFLICT (stale version), ${TREE_RULES}` })
  @ApiWriteErrors()
  @ApiGridRowResponse(folderGrid, { description: 'The folder after the change' })
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateFolderDto) {
    return this.folders.update(id, dto);
  }

  @Delete(':id')
  @Policy(folderResource, 'delete')
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
  remove(@Param('id', IdPipe) id: number) {
    return this.folders.remove(id);
  }
}
