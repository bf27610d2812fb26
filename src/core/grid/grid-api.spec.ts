import { sampleGrid } from '../../../test/support/sample-grid';
import { gridColumnSchema, gridFilterSchema, gridRowSchema, gridSortKeySchema } from './grid-api';
import type { GridColumn, GridDefinition } from './grid.types';
import { OPERATORS_BY_TYPE } from './grid.types';

const JSON_TYPE: Record<GridColumn['type'], string> = {
  text: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  datetime: 'string',
  date: 'string',
  enum: 'string',
  reference: 'integer',
};

type Props = Record<string, { type?: string; nullable?: boolean; enum?: unknown[] }>;

describe('OpenAPI schemas derived from a GridDefinition', () => {
  const row = gridRowSchema(sampleGrid);
  const props = row.properties as Props;

  it('gives every returned column its type, nullability and enum, required', () => {
    for (const c of sampleGrid.columns) {
      if (c.selected === false) {
        expect(props[c.key]).toBeUndefined();
        continue;
      }
      expect(props[c.key]).toMatchObject({ type: JSON_TYPE[c.type] });
      expect(props[c.key].nullable === true).toBe(c.nullable === true);
      if (c.values) expect(props[c.key].enum).toEqual(c.values);
      expect(row.required).toContain(c.key);
    }
  });

  it('puts the label of each reference beside its id, nullable with it', () => {
    const refs = sampleGrid.columns.filter((c) => c.ref && c.selected !== false);
    expect(refs.length).toBeGreaterThan(0);
    for (const c of refs) {
      expect(props[c.ref!.labelKey]).toMatchObject({ type: 'string' });
      expect(props[c.ref!.labelKey].nullable === true).toBe(c.nullable === true);
    }
    const labels = refs.length;
    const returned = sampleGrid.columns.filter((c) => c.selected !== false).length;
    expect(Object.keys(props)).toHaveLength(returned + labels);
  });

  it('takes a column’s rowSchema as declared, without changing the declaration', () => {
    const [first, ...rest] = sampleGrid.columns;
    const declared = { type: 'object' } as const;
    const def: GridDefinition = {
      ...sampleGrid,
      columns: [{ ...first, rowSchema: declared }, ...rest],
    };
    expect(gridRowSchema(def).properties?.[first.key]).toMatchObject({
      type: 'object',
      additionalProperties: true,
    });
    expect(declared).toEqual({ type: 'object' });
  });

  it('lists each sortable key ascending and with "-" descending, nothing else', () => {
    const sortable = sampleGrid.columns.filter((c) => c.sortable).map((c) => c.key);
    expect(gridSortKeySchema(sampleGrid).enum?.sort()).toEqual(
      [...sortable, ...sortable.map((k) => `-${k}`)].sort(),
    );
  });

  it('takes per filterable column a value or its operators', () => {
    const filter = gridFilterSchema(sampleGrid).properties as Record<
      string,
      { oneOf: { properties?: Record<string, unknown> }[] }
    >;
    for (const c of sampleGrid.columns) {
      if (c.filterable === false) {
        expect(filter[c.key]).toBeUndefined();
        continue;
      }
      const [, byOperator] = filter[c.key].oneOf;
      expect(Object.keys(byOperator.properties ?? {})).toEqual([
        ...(c.operators ?? OPERATORS_BY_TYPE[c.type]),
      ]);
    }
  });

  it('names every column key in the /columns answer', () => {
    const [, own] = gridColumnSchema(sampleGrid).allOf as { properties: Props }[];
    expect(own.properties.key.enum).toEqual(sampleGrid.columns.map((c) => c.key));
  });
});
