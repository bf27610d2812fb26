import { sampleGrid } from '../../../test/support/sample-grid';
import { columnByKey, parseFilters } from './grid-query.parser';
import { SqlParams, filterSql, keysetSql, likeEscape, orderBySql, searchSql } from './grid-sql';
import type { GridDefinition, SortTerm } from './grid.types';

function filter(key: string, value: string) {
  const p = new SqlParams();
  const [f] = parseFilters(sampleGrid, { [key]: value });
  return { sql: filterSql(f, p.bind), values: p.values };
}

describe('filter SQL', () => {
  it.each([
    ['filter[name]', 'a', 's.name = $1', ['a']],
    ['filter[id][eq]', '5', 's.id = $1::bigint', [5]],
    ['filter[ownerId][eq]', '5', 's.owner_id = $1::bigint', [5]],
    ['filter[amount][eq]', '2.5', 's.amount = $1', [2.5]],
    ['filter[active][eq]', 'false', 's.active = $1', [false]],
    ['filter[status][ne]', 'open', 's.status IS DISTINCT FROM $1', ['open']],
    ['filter[id][ne]', '5', 's.id IS DISTINCT FROM $1::bigint', [5]],
    ['filter[id][in]', '1,2', 's.id = ANY($1::bigint[])', [[1, 2]]],
    ['filter[name][in]', 'a,b', 's.name = ANY($1::text[])', [['a', 'b']]],
    ['filter[status][in]', 'open,closed', 's.status = ANY($1::text[])', [['open', 'closed']]],
    ['filter[amount][in]', '1,2.5', 's.amount = ANY($1::numeric[])', [[1, 2.5]]],
    [
      'filter[ownerId][nin]',
      '3,4',
      '(s.owner_id IS NULL OR NOT (s.owner_id = ANY($1::bigint[])))',
      [[3, 4]],
    ],
    ['filter[due][lt]', '2025-01-31', 's.due < $1', ['2025-01-31']],
    ['filter[due][lte]', '2025-01-31', 's.due <= $1', ['2025-01-31']],
    // Datetimes compare at the milliseconds the API writes (half-open ranges, the index still serves).
    [
      'filter[createdOn][gt]',
      '2025-01-31T10:00Z',
      "s.created_on >= ($1::timestamptz + interval '1 millisecond')",
      ['2025-01-31T10:00Z'],
    ],
    ['filter[createdOn][gte]', '2025-01-31', 's.created_on >= $1::timestamptz', ['2025-01-31']],
    ['filter[createdOn][lt]', '2025-01-31', 's.created_on < $1::timestamptz', ['2025-01-31']],
    [
      'filter[createdOn][lte]',
      '2025-01-31T10:17:03.019Z',
      "s.created_on < ($1::timestamptz + interval '1 millisecond')",
      ['2025-01-31T10:17:03.019Z'],
    ],
    [
      'filter[createdOn]',
      '2025-01-31T10:17:03.019Z',
      "(s.created_on >= $1::timestamptz AND s.created_on < ($1::timestamptz + interval '1 millisecond'))",
      ['2025-01-31T10:17:03.019Z'],
    ],
    [
      'filter[createdOn][ne]',
      '2025-01-31 10:17:03.019692+01',
      "(s.created_on IS NULL OR s.created_on < $1::timestamptz OR s.created_on >= ($1::timestamptz + interval '1 millisecond'))",
      ['2025-01-31 10:17:03.019+01'],
    ],
    [
      'filter[createdOn][between]',
      '2025-01-01,2025-01-31T23:59:59.999Z',
      "(s.created_on >= $1::timestamptz AND s.created_on < ($2::timestamptz + interval '1 millisecond'))",
      ['2025-01-01', '2025-01-31T23:59:59.999Z'],
    ],
    ['filter[id][lt]', '7', 's.id < $1::bigint', [7]],
    ['filter[id][between]', '3,9', 's.id BETWEEN $1::bigint AND $2::bigint', [3, 9]],
    [
      'filter[due][between]',
      '2025-01-01,2025-12-31',
      's.due BETWEEN $1 AND $2',
      ['2025-01-01', '2025-12-31'],
    ],
    ['filter[name][contains]', 'Inv', 's.name ILIKE $1', ['%Inv%']],
    ['filter[name][startsWith]', 'Inv', 's.name ILIKE $1', ['Inv%']],
    ['filter[note][isNull]', 'true', 's.note IS NULL', []],
    ['filter[note][isNull]', 'false', 's.note IS NOT NULL', []],
  ])('%s=%s → %s', (key, value, sql, values) => {
    expect(filter(key, value)).toEqual({ sql, values });
  });

  it('never puts input into the SQL text', () => {
    const evil = "x' OR 1=1; DROP TABLE samples; --";
    for (const op of ['eq', 'ne', 'in', 'nin', 'contains', 'startsWith']) {
      const { sql, values } = filter(`filter[name][${op}]`, evil);
      expect(sql).not.toContain('DROP');
      expect(JSON.stringify(values)).toContain('DROP TABLE');
    }
  });

  it('escapes LIKE wildcards and the escape character, so that text matches literally', () => {
    expect(likeEscape('50%_off\\now')).toBe('50\\%\\_off\\\\now');
    expect(filter('filter[name][contains]', '100%')).toEqual({
      sql: 's.name ILIKE $1',
      values: ['%100\\%%'],
    });
    expect(filter('filter[name][startsWith]', 'a_b\\')).toEqual({
      sql: 's.name ILIKE $1',
      values: ['a\\_b\\\\%'],
    });
  });
});

describe('search SQL', () => {
  it('searches every searchable column with one bound, escaped pattern', () => {
    const p = new SqlParams();
    expect(searchSql(sampleGrid, '5%', p.bind)).toBe('(s.name ILIKE $1 OR s.note ILIKE $1)');
    expect(p.values).toEqual(['%5\\%%']);
  });

  it('is nothing for a grid without searchable columns', () => {
    const plain: GridDefinition = {
      ...sampleGrid,
      columns: sampleGrid.columns.map((c) => ({ ...c, searchable: false })),
    };
    const p = new SqlParams();
    expect(searchSql(plain, 'x', p.bind)).toBeUndefined();
    expect(p.values).toEqual([]);
  });
});

describe('ORDER BY', () => {
  it('keeps the index order for non-null columns and puts nulls last for nullable ones', () => {
    expect(
      orderBySql(sampleGrid, [
        { column: 'createdOn', direction: 'desc' },
        { column: 'amount', direction: 'desc' },
        { column: 'due', direction: 'asc' },
        { column: 'id', direction: 'asc' },
      ]),
    ).toBe('s.created_on DESC, s.amount DESC NULLS LAST, s.due ASC NULLS LAST, s.id ASC');
  });

  it('fails loudly on a sort column the definition lacks (a programming error)', () => {
    expect(() => orderBySql(sampleGrid, [{ column: 'nope', direction: 'asc' }])).toThrow(
      /not declared/,
    );
  });
});

describe('keyset SQL', () => {
  const keyset = (sort: SortTerm[], cursor: unknown[]) => {
    const p = new SqlParams(['scope']);
    return { sql: keysetSql(sampleGrid, sort, cursor, p.bind), values: p.values.slice(1) };
  };

  it('is one row comparison for one direction over non-null columns (an index range)', () => {
    expect(
      keyset(
        [
          { column: 'createdOn', direction: 'desc' },
          { column: 'id', direction: 'desc' },
        ],
        ['2025-01-31 12:00:00+00', 42],
      ),
    ).toEqual({
      sql: '(s.created_on, s.id) < ($2, $3::bigint)',
      values: ['2025-01-31 12:00:00+00', 42],
    });
    expect(
      keyset(
        [
          { column: 'name', direction: 'asc' },
          { column: 'id', direction: 'asc' },
        ],
        ['m', 7],
      ).sql,
    ).toBe('(s.name, s.id) > ($2, $3::bigint)');
  });

  it('expands mixed directions into a disjunction', () => {
    expect(
      keyset(
        [
          { column: 'status', direction: 'desc' },
          { column: 'name', direction: 'asc' },
          { column: 'id', direction: 'asc' },
        ],
        ['open', 'm', 7],
      ),
    ).toEqual({
      sql:
        '((s.status < $2) OR (s.status = $3 AND s.name > $4) OR ' +
        '(s.status = $5 AND s.name = $6 AND s.id > $7::bigint))',
      values: ['open', 'open', 'm', 'open', 'm', 7],
    });
  });

  it('puts nulls after every value of a nullable column, in both directions', () => {
    expect(
      keyset(
        [
          { column: 'amount', direction: 'desc' },
          { column: 'id', direction: 'desc' },
        ],
        [10, 7],
      ),
    ).toEqual({
      sql: '(((s.amount < $2 OR s.amount IS NULL)) OR (s.amount = $3 AND s.id < $4::bigint))',
      values: [10, 10, 7],
    });
    expect(
      keyset(
        [
          { column: 'due', direction: 'asc' },
          { column: 'id', direction: 'asc' },
        ],
        ['2025-01-31', 7],
      ).sql,
    ).toBe('(((s.due > $2 OR s.due IS NULL)) OR (s.due = $3 AND s.id > $4::bigint))');
  });

  it('after a null, only the ties among nulls follow', () => {
    expect(
      keyset(
        [
          { column: 'amount', direction: 'asc' },
          { column: 'id', direction: 'asc' },
        ],
        [null, 7],
      ),
    ).toEqual({
      sql: '((FALSE) OR (s.amount IS NULL AND s.id > $2::bigint))',
      values: [7],
    });
  });

  it('never puts cursor values into the SQL text', () => {
    const { sql } = keyset(
      [
        { column: 'name', direction: 'desc' },
        { column: 'id', direction: 'asc' },
      ],
      ["'); DROP TABLE samples; --", 1],
    );
    expect(sql).not.toContain('DROP');
  });
});

describe('SqlParams', () => {
  it('numbers placeholders after the values it starts with', () => {
    const p = new SqlParams([1, 2]);
    expect(p.bind('x')).toBe('$3');
    expect(p.values).toEqual([1, 2, 'x']);
    expect(new SqlParams().bind(0)).toBe('$1');
  });

  it('is what columnByKey finds columns for', () => {
    expect(columnByKey(sampleGrid, 'amount')?.sql).toBe('s.amount');
    expect(columnByKey(sampleGrid, 'nope')).toBeUndefined();
  });
});
