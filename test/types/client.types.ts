/**
 * Type-level tests of the generated client (client/): `npm run typecheck`
 * compiles this file, nothing runs it. Each `@ts-expect-error` line must stay an
 * error, each other line must compile; either way round the typecheck fails.
 * Column keys other than `id` and `name` are read from the generated types,
 * never written here.
 */
import type { ApiErrorBody, GridColumnKey, GridPath, GridRow, Schemas } from '../../client';
import { createPostroomClient } from '../../client';

type Assert<T extends true> = T;
type IsNever<T> = [T] extends [never] ? true : false;
/** True when a record type has a closed set of keys (no index signature). */
type ClosedKeys<T> = string extends keyof T ? false : true;

// Nullable body fields are `T | null`, not Record<string, never> | null.
export const folderAtTop: Schemas['CreateFolderDto'] = { name: 'x', parentId: null };
export const folderInside: Schemas['CreateFolderDto'] = { name: 'x', parentId: 3 };
// @ts-expect-error an object is not a folder id
export const folderInObject: Schemas['CreateFolderDto'] = { name: 'x', parentId: {} };
export const typed: Schemas['CreateDocumentTypeDto'] = {
  name: 'x',
  retentionDays: 30,
  description: null,
};
export const unfiled: Schemas['CreateMailDto']['folderId'] = null;
export const untyped: Schemas['CreateDocumentDto']['documentTypeId'] = 7;

// Every grid's rows are typed: closed keys, an id, some nullable fields; every list path is a grid.
export type RowsAreTyped = [
  Assert<ClosedKeys<GridRow<'/api/folders'>>>,
  Assert<ClosedKeys<GridRow<'/api/documents'>>>,
  Assert<ClosedKeys<GridRow<'/api/mails'>>>,
  Assert<ClosedKeys<GridRow<'/api/inbox'>>>,
  Assert<ClosedKeys<GridRow<'/api/audit'>>>,
];
export type IdsAreNumbers = Assert<GridRow<GridPath>['id'] extends number ? true : false>;
type NullableKeys<T> = { [K in keyof T]: null extends T[K] ? K : never }[keyof T];
export type SomeFolderFieldsMayBeNull = Assert<
  IsNever<NullableKeys<GridRow<'/api/folders'>>> extends true ? false : true
>;
export type NameIsNotNull = Assert<null extends GridRow<'/api/folders'>['name'] ? false : true>;
export type FolderKeysAreColumns = Assert<
  'id' extends GridColumnKey<'/api/folders'> ? true : false
>;

/** Never called: the calls below only have to compile. */
export async function usesTheClient(token: string): Promise<void> {
  const api = createPostroomClient({ headers: { Authorization: `Bearer ${token}` } });

  const created = await api.POST('/api/folders', { body: { name: 'x', parentId: 3 } });
  if (created.data) {
    const row: GridRow<'/api/folders'> = created.data;
    const id: number = row.id;
    const name: string = row.name;
    // @ts-expect-error rows have no such field
    void row.no_such_column;
    void [id, name];
  }
  if (created.error) {
    const error: ApiErrorBody = created.error;
    const code: string = error.code;
    void code;
  }

  const page = await api.GET('/api/folders', {
    params: { query: { sort: ['-id', 'name'], filter: { id: { in: '1,2' } }, count: 'exact' } },
  });
  if (page.data) {
    const rows: GridRow<'/api/folders'>[] = page.data.data;
    const next: string | null = page.data.page.nextCursor;
    void [rows, next, page.data.total?.value];
  }
  // @ts-expect-error an unknown sort key
  await api.GET('/api/folders', { params: { query: { sort: ['no_such_column'] } } });
  // @ts-expect-error an integer column takes no text operator
  await api.GET('/api/folders', { params: { query: { filter: { id: { contains: '1' } } } } });

  const item = await api.GET('/api/folders/{id}', { params: { path: { id: 1 } } });
  const sameRow: GridRow<'/api/folders'> | undefined = item.data;
  void sameRow;
}
