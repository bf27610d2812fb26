import type { GridCaller, GridScopeSpec } from './grid.types';

/**
 * The permission hook every grid, count, value discovery and item read goes
 * through: the caller's scope as one SQL predicate over the grid's columns.
 * Implemented by the permission module; the engine knows no business rules.
 */
export interface GridScopeResolver {
  /** Throws 403 when the caller may not view the entity type at all. */
  predicate(caller: GridCaller, spec: GridScopeSpec, bind: (v: unknown) => string): Promise<string>;
}

export const GRID_SCOPE = Symbol('GRID_SCOPE');
