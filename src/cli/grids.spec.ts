import { gridDefinitionProblems } from '../core/grid/grid-definition.check';
import { GRID_DEFINITIONS } from './grids';

describe('every grid definition', () => {
  it.each(GRID_DEFINITIONS.map((d) => [d.name, d]))('%s is well-formed', (_name, def) => {
    expect(gridDefinitionProblems(def)).toEqual([]);
  });

  it('names each grid once', () => {
    const names = GRID_DEFINITIONS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
