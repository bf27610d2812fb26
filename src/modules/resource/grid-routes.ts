import type { Type } from '@nestjs/common';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiGridColumns,
  ApiGridList,
  ApiGridRowResponse,
  ApiGridValues,
} from '../../core/grid/grid-api';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { ApiItemErrors } from '../../core/http/api-docs';
import { IdPipe } from '../../core/http/id.pipe';
import { Policy, ScreenPolicy } from '../permission/policy.decorator';
import type { Resource } from '../permission/resource';
import { ResourceReader } from './resource-reader.service';

const plural = (r: Resource) => r.grid.name.replace(/-/g, ' ');
const pascal = (s: string) => s.replace(/(^|[-_ ])(\w)/g, (_m, _s, c: string) => c.toUpperCase());

/**
 * The read routes of a resource, generated from its declaration: the grid
 * (list, columns, values) and, unless the module serves a richer one, the item.
 */
export function gridRoutes(resource: Resource): Type<unknown> {
  const name = plural(resource);

  @ApiTags(resource.tag ?? resource.grid.name)
  @ApiBearerAuth()
  @Controller(resource.grid.name)
  class GridRoutes {
    constructor(readonly reader: ResourceReader) {}

    @Get()
    @ScreenPolicy(resource)
    @ApiOperation({ summary: `The ${name} grid` })
    @ApiGridList(resource.grid)
    list(@Query() query: RawQuery) {
      return this.reader.list(resource, query);
    }

    @Get('columns')
    @ScreenPolicy(resource)
    @ApiOperation({ summary: `Column definitions of the ${name} grid` })
    @ApiGridColumns(resource.grid)
    columns() {
      return this.reader.columns(resource);
    }

    @Get('columns/:column/values')
    @ScreenPolicy(resource)
    @ApiOperation({
      summary: `Distinct values of a ${name} column with counts, under the other filters and your scope`,
    })
    @ApiGridValues(resource.grid)
    values(@Param('column') column: string, @Query() query: RawQuery) {
      return this.reader.values(resource, column, query);
    }
  }

  @ApiTags(resource.tag ?? resource.grid.name)
  @ApiBearerAuth()
  @Controller(resource.grid.name)
  class ItemRoute extends GridRoutes {
    @Get(':id')
    @Policy(resource, 'read')
    @ApiOperation({
      summary: `One ${resource.noun.toLowerCase()} (404 when it does not exist or is outside your scope)`,
    })
    @ApiGridRowResponse(resource.grid, {
      extra: resource.item === false ? undefined : resource.item?.detailsType,
    })
    @ApiItemErrors()
    item(@Param('id', IdPipe) id: number) {
      return this.reader.item(resource, id);
    }
  }

  const routes = resource.item === false ? GridRoutes : ItemRoute;
  // Controller names make the OpenAPI operation ids: one per resource.
  Object.defineProperty(routes, 'name', { value: `${pascal(resource.grid.name)}GridController` });
  return routes;
}
