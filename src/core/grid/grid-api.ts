import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
} from '@nestjs/swagger';
import type { GridDefinition } from './grid.types';
import { OPERATORS } from './grid.types';

export class GridPageInfoDto {
  @ApiProperty({ example: 50 }) limit!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
  @ApiProperty() hasMore!: boolean;
  @ApiPropertyOptional() offset?: number;
}

export class GridTotalDto {
  @ApiProperty() value!: number;
  @ApiProperty({
    description: 'false: an estimate, or the cap of count=exact was reached (value = cap)',
  })
  exact!: boolean;
}

export class GridSortDto {
  @ApiProperty() column!: string;
  @ApiProperty({ enum: ['asc', 'desc'] }) direction!: string;
}

export class GridPageDto {
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  data!: Record<string, unknown>[];
  @ApiProperty({ type: GridPageInfoDto }) page!: GridPageInfoDto;
  @ApiProperty({ type: GridTotalDto, nullable: true }) total!: GridTotalDto | null;
  @ApiProperty({ type: [GridSortDto] }) sort!: GridSortDto[];
}

export class ColumnDescriptionDto {
  @ApiProperty() key!: string;
  @ApiProperty() label!: string;
  @ApiProperty({
    enum: ['text', 'integer', 'number', 'boolean', 'datetime', 'date', 'enum', 'reference'],
  })
  type!: string;
  @ApiProperty() sortable!: boolean;
  @ApiProperty() filterable!: boolean;
  @ApiProperty({ enum: OPERATORS, isArray: true }) operators!: string[];
  @ApiProperty() discoverable!: boolean;
  @ApiProperty() searchable!: boolean;
  @ApiPropertyOptional({ type: [String] }) values?: string[];
  @ApiPropertyOptional({ description: 'Row field holding the label of this reference' })
  labelKey?: string;
}

export class ColumnValueDto {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    nullable: true,
  })
  value!: unknown;
  @ApiProperty() label!: string;
  @ApiProperty() count!: number;
}

export class ColumnValuesDto {
  @ApiProperty({ type: [ColumnValueDto] }) data!: ColumnValueDto[];
  @ApiProperty() hasMore!: boolean;
}

const ERRORS = [
  ApiResponse({
    status: 400,
    description:
      'GRID_* code naming the parameter: unknown column, operator or parameter; malformed value, cursor or limit',
  }),
  ApiResponse({
    status: 401,
    description: 'AUTH_TOKEN_MISSING / AUTH_TOKEN_INVALID / AUTH_TOKEN_EXPIRED',
  }),
  ApiResponse({ status: 403, description: 'FORBIDDEN: no view grant on this entity type or tab' }),
  ApiResponse({
    status: 503,
    description: 'DB_POOL_EXHAUSTED (Retry-After): no database connection free in time',
  }),
];

/** OpenAPI for a grid list route, generated from the grid's declaration. */
export function ApiGridList(def: GridDefinition) {
  const sortable = def.columns.filter((c) => c.sortable).map((c) => c.key);
  const filterable = def.columns.filter((c) => c.filterable !== false).map((c) => c.key);
  const searchable = def.columns.filter((c) => c.searchable).map((c) => c.key);
  const defaultSort = def.defaultSort
    .map((t) => (t.direction === 'desc' ? `-${t.column}` : t.column))
    .join(',');
  return applyDecorators(
    ApiExtraModels(GridPageDto),
    ApiQuery({
      name: 'sort',
      required: false,
      description: `Comma list, "-" for descending. Sortable: ${sortable.join(', ')}. Default: ${defaultSort}`,
    }),
    ApiQuery({
      name: 'filter',
      required: false,
      style: 'deepObject',
      explode: true,
      schema: { type: 'object', additionalProperties: true },
      description: `filter[column]=value (equals) or filter[column][op]=value, op in ${OPERATORS.join(', ')} (in/nin/between take comma lists). Filterable: ${filterable.join(', ')}. See /columns for each column's operators.`,
    }),
    ApiQuery({
      name: 'search',
      required: false,
      description:
        searchable.length > 0
          ? `Quick search over ${searchable.join(', ')}`
          : 'None: this grid has no quick search (400 GRID_NOT_SEARCHABLE)',
    }),
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: 'nextCursor of the previous page (keyset paging)',
    }),
    ApiQuery({
      name: 'offset',
      required: false,
      schema: { type: 'integer', minimum: 0 },
      description: 'Small jumps only (capped by GRID_MAX_OFFSET); not with cursor',
    }),
    ApiQuery({
      name: 'count',
      required: false,
      schema: { type: 'string', enum: ['none', 'exact', 'estimate'], default: 'none' },
      description: 'exact is capped at GRID_COUNT_CAP and runs beside the rows',
    }),
    ApiOkResponse({ type: GridPageDto }),
    ...ERRORS,
  );
}

export function ApiGridColumns() {
  return applyDecorators(ApiOkResponse({ type: [ColumnDescriptionDto] }), ...ERRORS.slice(1, 3));
}

export function ApiGridValues(def: GridDefinition) {
  const discoverable = def.columns.filter((c) => c.discoverable).map((c) => c.key);
  return applyDecorators(
    ApiParam({ name: 'column', enum: discoverable }),
    ApiQuery({
      name: 'filter',
      required: false,
      style: 'deepObject',
      explode: true,
      schema: { type: 'object', additionalProperties: true },
      description: "The grid filters; this column's own filter is ignored",
    }),
    ApiQuery({
      name: 'search',
      required: false,
      description: 'Search within the values (labels for references)',
    }),
    ApiQuery({
      name: 'gridSearch',
      required: false,
      description: "The grid's quick search, applied to the rows counted",
    }),
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    }),
    ApiOkResponse({ type: ColumnValuesDto }),
    ...ERRORS,
  );
}
