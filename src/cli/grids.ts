import type { GridDefinition } from '../core/grid/grid.types';
import { documentGrid } from '../modules/document/document.grid';
import { folderGrid } from '../modules/folder/folder.grid';

/**
 * Every module's grid definition, for tools that go over all grids (`npm run
 * explain`). Core must not import modules, so the list lives here. Add yours.
 */
export const GRID_DEFINITIONS: readonly GridDefinition[] = [documentGrid, folderGrid];
