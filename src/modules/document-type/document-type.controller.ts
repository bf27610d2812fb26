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
import { documentTypeResource } from './document-type.resource';
import { DocumentTypeService } from './document-type.service';
import { CreateDocumentTypeDto } from './dto/create-document-type.dto';
import { UpdateDocumentTypeDto } from './dto/update-document-type.dto';
import { documentTypeGrid } from './document-type.grid';

/** Writes; the grid and item routes come from documentTypeResource. */
@ApiTags('document-types')
@ApiBearerAuth()
@Controller('document-types')
export class DocumentTypeController {
  constructor(private readonly documentTypes: DocumentTypeService) {}

  @Post()
  @Policy(documentTypeResource, 'create')
  @ApiOperation({ summary: 'Create a document type (name unique within the organization)' })
  @ApiWriteErrors()
  @ApiGridRowResponse(documentTypeGrid, { status: 201, description: 'The new document type' })
  create(@Body() dto: CreateDocumentTypeDto) {
    return this.documentTypes.create(dto);
  }

  @Patch(':id')
  @Policy(documentTypeResource, 'edit')
  @ApiOperation({ summary: 'Change a document type (send the version you read)' })
  @ApiWriteErrors()
  @ApiGridRowResponse(documentTypeGrid, { description: 'The document type after the change' })
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateDocumentTypeDto) {
    return this.documentTypes.update(id, dto);
  }

  @Delete(':id')
  @Policy(documentTypeResource, 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a document type no document uses' })
  @ApiNoContentResponse()
  @ApiItemErrors()
  @ApiResponse({
    status: 409,
    description:
      'DOCUMENT_TYPE_IN_USE: documents are of this type (CONFLICT_REFERENCE when one was filed meanwhile)',
  })
  remove(@Param('id', IdPipe) id: number) {
    return this.documentTypes.remove(id);
  }
}
