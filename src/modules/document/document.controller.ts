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
import { documentResource } from './document.resource';
import { DocumentService } from './document.service';
import { CreateDocumentDto } from './dto/create-document.dto';
import { UpdateDocumentDto } from './dto/update-document.dto';
import { documentGrid } from './document.grid';

/** Writes; the grid and item routes come from documentResource. */
@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class DocumentController {
  constructor(private readonly documents: DocumentService) {}

  @Post()
  @Policy(documentResource, 'create')
  @ApiOperation({ summary: 'File a new document' })
  @ApiWriteErrors()
  @ApiGridRowResponse(documentGrid, { status: 201, description: 'The new document' })
  create(@Body() dto: CreateDocumentDto) {
    return this.documents.create(dto);
  }

  @Patch(':id')
  @Policy(documentResource, 'edit')
  @ApiOperation({ summary: 'Change a document (send the version you read)' })
  @ApiWriteErrors()
  @ApiGridRowResponse(documentGrid, { description: 'The document after the change' })
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateDocumentDto) {
    return this.documents.update(id, dto);
  }

  @Delete(':id')
  @Policy(documentResource, 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a document' })
  @ApiNoContentResponse()
  @ApiItemErrors()
  @ApiResponse({ status: 409, description: 'CONFLICT_REFERENCE: other records refer to it' })
  remove(@Param('id', IdPipe) id: number) {
    return this.documents.remove(id);
  }
}
