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
import { documentGrid } from './document.grid';
import { DocumentService } from './document.service';
import { CreateDocumentDto } from './dto/create-document.dto';
import { UpdateDocumentDto } from './dto/update-document.dto';

@ApiTags('documents')
@ApiBearerAuth()
@Controller('documents')
export class DocumentController {
  constructor(
    private readonly documents: DocumentService,
    private readonly grid: GridService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Documents grid' })
  @ApiGridList(documentGrid)
  list(@CurrentPrincipal() caller: Principal, @Query() query: RawQuery) {
    return this.documents.list(caller, query);
  }

  @Get('columns')
  @ApiOperation({ summary: 'Column definitions of the documents grid' })
  @ApiGridColumns()
  columns() {
    return this.grid.describe(documentGrid);
  }

  @Get('columns/:column/values')
  @ApiOperation({
    summary: 'Distinct values of a column with counts, under the other filters and your scope',
  })
  @ApiGridValues(documentGrid)
  values(
    @CurrentPrincipal() caller: Principal,
    @Param('column') column: string,
    @Query() query: RawQuery,
  ) {
    return this.documents.values(caller, column, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One document (404 when it does not exist or is outside your scope)' })
  @ApiItemErrors()
  get(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.documents.get(caller, id);
  }

  @Post()
  @ApiOperation({ summary: 'File a new document' })
  @ApiWriteErrors()
  create(@CurrentPrincipal() caller: Principal, @Body() dto: CreateDocumentDto) {
    return this.documents.create(caller, dto);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a document (send the version you read)' })
  @ApiWriteErrors()
  @ApiOkResponse({ description: 'The document after the change' })
  update(
    @CurrentPrincipal() caller: Principal,
    @Param('id', IdPipe) id: number,
    @Body() dto: UpdateDocumentDto,
  ) {
    return this.documents.update(caller, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a document' })
  @ApiNoContentResponse()
  @ApiItemErrors()
  @ApiResponse({ status: 409, description: 'CONFLICT_REFERENCE: other records refer to it' })
  remove(@CurrentPrincipal() caller: Principal, @Param('id', IdPipe) id: number) {
    return this.documents.remove(caller, id);
  }
}
