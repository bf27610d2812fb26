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
import { documentTypeGrid } from './document-type.grid';
import { DocumentTypeService } from './document-type.service';
import { CreateDocumentTypeDto } from './dto/create-document-type.dto';
import { UpdateDocumentTypeDto } from './dto/update-document-type.dto';

@ApiTags('document-types')
@ApiBearerAuth()
@Controller('document-types')
export class DocumentTypeController {
  constructor(
    private readonly documentTypes: DocumentTypeService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Document types grid' })
  @ApiGridList(documentTypeGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.documentTypes.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the document types grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(documentTypeGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(documentTypeGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.documentTypes.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One document type (404 when it does not exist or is outside your scope)',
  })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.documentTypes.get(caller, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a document type (name unique within the organization)' })
  @ApiWriteErrors()
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateDocumentTypeDto) {
    return this.documentTypes.create(caller, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a document type (send the version you read)' })
  @ApiWriteErrors()
  @ApiOkResponse({ description: 'The document type after the change' })
  update(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateDocumentTypeDto,
  ) {
    return this.documentTypes.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a document type no document uses' })
  @ApiNoContentResponse()
  @ApiItemErrors()
  @ApiResponse({
    status: 409,
    description:
      'DOCUMENT_TYPE_IN_USE: documents are of this type (CONFLICT_REFERENCE when one was filed meanwhile)',
  })
  remove(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.documentTypes.remove(caller, id);
  }
}
