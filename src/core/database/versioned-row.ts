import { ApiError } from '../http/api-error';
import type { Queryable } from './db.service';

/** Column names come from code (DTO-to-column maps), never from input. */
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function check(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not an identifier: ${name}`);
  return name;
}

/**
 * UPDATE of the given columns with optimistic locking: bumps version and
 * updated_on, and only when the row still has the version the caller read.
 * Returns the new version, or undefined when the row changed meanwhile.
 */
export async function updateVersioned(
  q: Queryable,
  table: string,
  id: number,
  expectedVersion: number,
  changes: Record<string, unknown>,
): Promise<number | undefined> {
  const values: unknown[] = [id, expectedVersion];
  const sets = Object.entries(changes)
    .filter(([, v]) => v !== undefined)
    .map(([column, v]) => {
      values.push(v);
      return `${check(column)} = $${values.length}`;
    });
  sets.push('version = version + 1', 'updated_on = now()');
  const rows = await q.query<{ version: number }>(
    `UPDATE ${check(table)} SET ${sets.join(', ')} WHERE id = $1 AND version = $2 RETURNING version`,
    values,
  );
  return rows[0]?.version;
}

/** INSERT of one row from a column → value map; returns the new id. */
export async function insertRow(
  q: Queryable,
  table: string,
  row: Record<string, unknown>,
): Promise<number> {
  const entries = Object.entries(row).filter(([, v]) => v !== undefined);
  const rows = await q.query<{ id: number }>(
    `INSERT INTO ${check(table)} (${entries.map(([c]) => check(c)).join(', ')})
     VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
    entries.map(([, v]) => v),
  );
  return rows[0].id;
}

/** Which rows a caller reaches (`visible`) and may change (`allowed`), over one set of values. */
export interface RowGuard {
  visible: string;
  allowed: string;
  values: unknown[];
}

/** The table and columns of a locked read: `from` with its alias, columns over that alias. */
export interface LockTarget {
  from: string;
  alias: string;
  columns: string;
  noun: string;
}

/**
 * The one ritual before a change: the row locked for the rest of the
 * transaction if the caller can see it (404 otherwise, never revealing it),
 * 403 when he sees it but may not do `op` to it, 409 when `version` (if sent)
 * is not the row's.
 */
export async function lockForChange<T extends { version: number }>(
  q: Queryable,
  target: LockTarget,
  id: number,
  guard: RowGuard,
  op: string,
  version?: number,
): Promise<T> {
  const n = guard.values.length + 1;
  const rows = await q.query<T & { allowed: boolean }>(
    `SELECT ${target.columns}, (${guard.allowed}) AS allowed FROM ${target.from}
     WHERE ${target.alias}.id = $${n} AND ${guard.visible} FOR UPDATE OF ${target.alias}`,
    [...guard.values, id],
  );
  const row = rows[0];
  if (!row) throw ApiError.notFound(target.noun, id);
  const { allowed, ...current } = row;
  if (!allowed) {
    const folder = (current as { folder_id?: number | string | null }).folder_id;
    throw ApiError.forbidden(
      `you may not ${op} this ${target.noun.toLowerCase()}${folder == null ? '' : ` in folder ${String(folder)}`}`,
      'id',
    );
  }
  if (version !== undefined && current.version !== version) {
    throw ApiError.versionConflict(target.noun, current.version, version);
  }
  return current as unknown as T;
}
