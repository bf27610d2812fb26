import { parseBatchFile } from './batch-file';
import { filterEntries, filterOptions, gridQuery } from './grid-query';

describe('console grid query', () => {
  it('offers only the filter options whose operator the column allows', () => {
    expect(filterOptions(['eq', 'ne', 'contains', 'startsWith', 'isNull'])).toEqual([
      'equals',
      'notEqual',
      'contains',
      'startsWith',
      'blank',
      'notBlank',
    ]);
    expect(filterOptions(['eq', 'lt', 'between'])).toEqual(['equals', 'lessThan', 'inRange']);
  });

  it('maps sort, set, text, number and date filters to the API parameters', () => {
    expect(
      gridQuery(
        [
          { colId: 'folderId', sort: 'desc' },
          { colId: 'title', sort: 'asc' },
        ],
        {
          status: { filterType: 'set', values: ['draft', 'archived'] },
          title: { filterType: 'text', type: 'contains', filter: 'inv' },
          pageCount: { filterType: 'number', type: 'inRange', filter: 2, filterTo: 5 },
          createdOn: { filterType: 'date', type: 'lessThan', dateFrom: '2026-12-01 00:00:00' },
          documentDate: {
            filterType: 'date',
            type: 'greaterThan',
            dateFrom: '2026-11-30 00:00:00',
          },
        },
        { createdOn: 'datetime', documentDate: 'date', pageCount: 'integer' },
        ' letter ',
      ),
    ).toEqual({
      sort: '-folderId,title',
      'filter[status][in]': 'draft,archived',
      'filter[title][contains]': 'inv',
      'filter[pageCount][between]': '2,5',
      'filter[createdOn][lt]': '2026-12-01T00:00:00.000Z',
      'filter[documentDate][gt]': '2026-11-30',
      search: 'letter',
    });
  });

  it('turns blanks and an "(empty)"-only set into isNull, a datetime day into its range', () => {
    expect(filterEntries('mailId', { filterType: 'text', type: 'blank' }, 'reference')).toEqual([
      ['filter[mailId][isNull]', 'true'],
    ]);
    expect(filterEntries('folderId', { filterType: 'set', values: [null] }, 'reference')).toEqual([
      ['filter[folderId][isNull]', 'true'],
    ]);
    expect(
      filterEntries(
        'createdOn',
        { filterType: 'date', type: 'equals', dateFrom: '2026-12-07 00:00:00' },
        'datetime',
      ),
    ).toEqual([
      ['filter[createdOn][between]', '2026-12-07T00:00:00.000Z,2026-12-07T23:59:59.999Z'],
    ]);
    expect(
      filterEntries('title', { filterType: 'text', type: 'contains', filter: '' }, 'text'),
    ).toEqual([]);
  });
});

describe('console batch file', () => {
  it('reads CSV with a header, quoted commas and numeric ids', () => {
    const csv =
      'subject,sender,priority,folderId\n"Invoice, March",billing@x.example,high,7\nNote,a@b.example,,\n';
    expect(parseBatchFile('letters.csv', csv)).toEqual([
      { subject: 'Invoice, March', sender: 'billing@x.example', priority: 'high', folderId: 7 },
      { subject: 'Note', sender: 'a@b.example' },
    ]);
  });

  it('reads JSON as an array or { items }, and refuses a CSV without subject and sender', () => {
    const items = [{ subject: 'A', sender: 'a@b.example' }];
    expect(parseBatchFile('a.json', JSON.stringify(items))).toEqual(items);
    expect(parseBatchFile('a.json', JSON.stringify({ items }))).toEqual(items);
    expect(() => parseBatchFile('a.csv', 'title,from\nx,y')).toThrow(/subject and sender/);
  });
});
