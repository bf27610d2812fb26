import type { Type } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  getSchemaPath,
  ApiOkResponse,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
} from '@nestjs/swagger';
import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { MAX_TEXT } from './grid-scalar';
import type { GridColumn, GridDefinition, Operator } from './grid.types';
import { OPERATORS, OPERATORS_BY_TYPE } from './grid.types';

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
    oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }],
    description:
      "The column's value in its type (see /columns; the id for a reference), null for the rows without one",
  })
  value!: string | number | boolean | null;
  @ApiProperty() label!: string;
  @ApiProperty({
    description:
      'Rows holding the value; when exact is false, at least this many, at most the cap (show it as "1,000+")',
  })
  count!: number;
  @ApiPropertyOptional({
    type: 'boolean',
    enum: [false],
    description:
      'Present, false, when count is only a lower bound: under filters the kept counts cannot answer, values are counted in one pass over at most GRID_VALUES_COUNT_CAP rows per value in scope. Absent: exact',
  })
  exact?: false;
}

export class ColumnValuesDto {
  @ApiProperty({ type: [ColumnValueDto] }) data!: ColumnValueDto[];
  @ApiProperty() hasMore!: boolean;
}

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const pascal = (s: string) => s.replace(/(^|[-_ ])(\w)/g, (_m, _s, c: string) => c.toUpperCase());

/** The names of a grid's schemas in components.schemas: FoldersGridRow, FoldersGridPage, … */
export function gridSchemaName(
  def: GridDefinition,
  part: 'Row' | 'Page' | 'Filter' | 'SortKey' | 'Column',
) {
  return `${pascal(def.name)}Grid${part}`;
}

/** The grids the routes document, by name: their schemas go into the document. */
const documented = new Map<string, GridDefinition>();

function documents(def: GridDefinition): GridDefinition {
  const known = documented.get(def.name);
  if (known !== undefined && known !== def) {
    throw new Error(`two grid definitions are named "${def.name}"`);
  }
  documented.set(def.name, def);
  return def;
}

/** A column's values in rows (and filters), from its type. */
function scalarSchema(c: GridColumn): SchemaObject {
  switch (c.type) {
    case 'text':
      return { type: 'string' };
    case 'integer':
      return { type: 'integer' };
    case 'reference':
      return { type: 'integer', description: 'id' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'datetime':
      return {
        type: 'string',
        format: 'date-time',
        description: 'RFC 3339 in UTC with milliseconds, e.g. 2026-12-07T10:17:03.019Z',
      };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'enum':
      return { type: 'string', enum: [...(c.values ?? [])] };
  }
}

const returned = (def: GridDefinition) => def.columns.filter((c) => c.selected !== false);

/** A row of the grid: every selected column, and the label of every reference beside its id. */
export function gridRowSchema(def: GridDefinition): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  for (const c of returned(def)) {
    const value: SchemaObject = { ...(c.rowSchema ?? scalarSchema(c)) };
    if (value.type === 'object') value.additionalProperties = true;
    const description = value.description ? `${c.label}: ${value.description}` : c.label;
    properties[c.key] = { ...value, description, ...(c.nullable ? { nullable: true } : {}) };
    if (c.ref) {
      properties[c.ref.labelKey] = {
        type: 'string',
        description: `${c.label}: the label of ${c.key}`,
        ...(c.nullable ? { nullable: true } : {}),
      };
    }
  }
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** One page of the grid, as the list route answers it (GridPage). */
export function gridPageSchema(def: GridDefinition): SchemaObject {
  return {
    type: 'object',
    properties: {
      data: { type: 'array', items: ref(gridSchemaName(def, 'Row')) },
      page: ref('GridPageInfoDto'),
      total: {
        type: 'object',
        nullable: true,
        allOf: [ref('GridTotalDto')],
        description: 'null unless count=exact or count=estimate',
      },
      sort: {
        type: 'array',
        items: ref('GridSortDto'),
        description: 'The sort that ran, the id tie-breaker included',
      },
    },
    required: ['data', 'page', 'total', 'sort'],
  };
}

/** The sort keys: each sortable column, ascending or with "-" descending. */
export function gridSortKeySchema(def: GridDefinition): SchemaObject {
  const keys = def.columns.filter((c) => c.sortable).map((c) => c.key);
  return { type: 'string', enum: [...keys, ...keys.map((k) => `-${k}`)] };
}

/** A column of the grid as /columns describes it: its key one of the grid's. */
export function gridColumnSchema(def: GridDefinition): SchemaObject {
  const labelKeys = def.columns.flatMap((c) => (c.ref ? [c.ref.labelKey] : []));
  return {
    allOf: [
      ref('ColumnDescriptionDto'),
      {
        type: 'object',
        properties: {
          key: { type: 'string', enum: def.columns.map((c) => c.key) },
          ...(labelKeys.length > 0 ? { labelKey: { type: 'string', enum: labelKeys } } : {}),
        },
        required: ['key'],
      },
    ],
  };
}

/** Operators taking a comma list (in, nin: values; between: low,high). */
const LIST_OPERATORS: readonly Operator[] = ['in', 'nin', 'between'];

function operatorSchema(c: GridColumn, op: Operator): SchemaObject {
  if (op === 'isNull')
    return { type: 'boolean', description: 'true: only empty; false: none empty' };
  if (LIST_OPERATORS.includes(op)) {
    return {
      type: 'string',
      description: op === 'between' ? 'low,high (both included)' : 'comma list of values',
    };
  }
  return scalarSchema(c);
}

/** filter[column]=value (eq) or filter[column][operator]=value, per filterable column. */
export function gridFilterSchema(def: GridDefinition): SchemaObject {
  const properties: Record<string, SchemaObject> = {};
  for (const c of def.columns.filter((c) => c.filterable !== false)) {
    const ops = c.operators ?? OPERATORS_BY_TYPE[c.type];
    const byOperator: Record<string, SchemaObject> = {};
    for (const op of ops) byOperator[op] = operatorSchema(c, op);
    properties[c.key] = {
      description: `${c.label}: a value (eq), or by operator: ${ops.join(', ')}`,
      oneOf: [
        scalarSchema(c),
        { type: 'object', properties: byOperator, additionalProperties: false },
      ],
    };
  }
  return { type: 'object', properties, additionalProperties: false };
}

/** components.schemas of every grid a route documents (row, page, filter, sort keys). */
export function documentedGridSchemas(): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {};
  const defs = [...documented.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const def of defs) {
    schemas[gridSchemaName(def, 'Row')] = gridRowSchema(def);
    schemas[gridSchemaName(def, 'Page')] = gridPageSchema(def);
    schemas[gridSchemaName(def, 'Filter')] = gridFilterSchema(def);
    schemas[gridSchemaName(def, 'SortKey')] = gridSortKeySchema(def);
    schemas[gridSchemaName(def, 'Column')] = gridColumnSchema(def);
  }
  return schemas;
}

const AUTH_ERRORS = [
  ApiResponse({
    status: 401,
    description: 'AUTH_TOKEN_MISSING / AUTH_TOKEN_INVALID / AUTH_TOKEN_EXPIRED',
  }),
  ApiResponse({ status: 403, description: 'FORBIDDEN: no view grant on this entity type or tab' }),
];
const ERRORS = [
  ApiResponse({
    status: 400,
    description:
      'GRID_* code naming the parameter: unknown column, operator or parameter; malformed value, cursor or limit',
  }),
  ...AUTH_ERRORS,
  ApiResponse({
    status: 503,
    description: 'DB_POOL_EXHAUSTED (Retry-After): no database connection free in time',
  }),
];

const LIMIT = ApiQuery({
  name: 'limit',
  required: false,
  schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
});

function filterQuery(def: GridDefinition, description: string) {
  return ApiQuery({
    name: 'filter',
    required: false,
    style: 'deepObject',
    explode: true,
    schema: ref(gridSchemaName(def, 'Filter')),
    description,
  });
}

/** OpenAPI for a grid list route, generated from the grid's declaration. */
export function ApiGridList(def: GridDefinition) {
  documents(def);
  const filterable = def.columns.filter((c) => c.filterable !== false).map((c) => c.key);
  const searchable = def.columns.filter((c) => c.searchable).map((c) => c.key);
  const defaultSort = def.defaultSort
    .map((t) => (t.direction === 'desc' ? `-${t.column}` : t.column))
    .join(',');
  return applyDecorators(
    ApiExtraModels(GridPageInfoDto, GridTotalDto, GridSortDto),
    ApiQuery({
      name: 'sort',
      required: false,
      style: 'form',
      explode: false,
      schema: {
        type: 'array',
        items: ref(gridSchemaName(def, 'SortKey')),
        minItems: 1,
        maxItems: 5,
      },
      description: `Comma list of 1 to 5 columns, "-" before one for descending; a reference column sorts by its label (a folder by its name). Default: ${defaultSort}`,
    }),
    filterQuery(
      def,
      `filter[column]=value (equals) or filter[column][op]=value (in/nin/between take comma lists). Filterable: ${filterable.join(', ')}. See /columns for each column's operators.`,
    ),
    ApiQuery({
      name: 'search',
      required: false,
      schema: { type: 'string', maxLength: MAX_TEXT },
      description:
        searchable.length > 0
          ? `Quick search over ${searchable.join(', ')}`
          : 'None: this grid has no quick search (400 GRID_NOT_SEARCHABLE)',
    }),
    LIMIT,
    ApiQuery({
      name: 'cursor',
      required: false,
      schema: { type: 'string' },
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
    ApiOkResponse({ schema: ref(gridSchemaName(def, 'Page')) }),
    ...ERRORS,
  );
}

export function ApiGridColumns(def: GridDefinition) {
  documents(def);
  return applyDecorators(
    ApiExtraModels(ColumnDescriptionDto),
    ApiOkResponse({ schema: { type: 'array', items: ref(gridSchemaName(def, 'Column')) } }),
    ...AUTH_ERRORS,
  );
}

export function ApiGridValues(def: GridDefinition) {
  documents(def);
  const discoverable = def.columns.filter((c) => c.discoverable).map((c) => c.key);
  return applyDecorators(
    ApiParam({ name: 'column', enum: discoverable }),
    filterQuery(def, "The grid filters; this column's own filter is ignored"),
    ApiQuery({
      name: 'search',
      required: false,
      schema: { type: 'string', maxLength: MAX_TEXT },
      description: 'Search within the values (labels for references)',
    }),
    ApiQuery({
      name: 'gridSearch',
      required: false,
      schema: { type: 'string', maxLength: MAX_TEXT },
      description: "The grid's quick search, applied to the rows counted",
    }),
    LIMIT,
    ApiOkResponse({ type: ColumnValuesDto }),
    ...ERRORS,
  );
}

/**
 * A success answer holding one row of the grid (an item, or a record after a
 * write), optionally with more fields (`extra`, a DTO class) beside the row's.
 */
export function ApiGridRowResponse(
  def: GridDefinition,
  options: { status?: number; description?: string; extra?: Type<unknown> } = {},
) {
  documents(def);
  const row = ref(gridSchemaName(def, 'Row'));
  const { status = 200, description = 'The record as its grid shows it', extra } = options;
  return applyDecorators(
    ...(extra ? [ApiExtraModels(extra)] : []),
    ApiResponse({
      status,
      description,
      schema: extra ? { allOf: [row, { $ref: getSchemaPath(extra) }] } : row,
    }),
  );
}
