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
