import type { GridDefinition } from '../../src/core/grid/grid.types';
import { ADMIN, DEMO_PASSWORD, sql } from './fixtures';

/**
 * What the conformance suite (test/e2e/grid-conformance.e2e-spec.ts) needs to
 * know of a grid beyond its definition. Entries live in test/support/grids/,
 * the list of them in test/support/grid-registry.ts.
 */
export interface Credentials {
  email: string;
  password: string;
}

export interface GridUnderTest {
  /** GET url (the grid), url/columns, url/columns/:column/values, url/:id. */
  url: string;
  definition: GridDefinition;
  /** Table holding the grid's rows (row counts around injection attempts). */
  table: string;
  /**
   * Inserts a copy of row `id` (same organization; the default-sort values kept
   * where constraints allow, unique values changed) and returns the new id.
   * The suite inserts such rows between pages while paging by cursor.
   */
  insertCopy(dbUrl: string, id: number): Promise<number>;
  /**
   * Rows the demo seed lacks: nulls in nullable columns, text with LIKE
   * wildcards, a long text in a sortable column… Every grid shares one
   * database: each arrange runs once (entries sharing the function, once),
   * in registry order, before any grid's checks, and relies on the seed only.
   */
  arrange?(dbUrl: string): Promise<void>;
  /** Who sees every row of the grid. Default: the platform admin. */
  viewer?: Credentials;
  /** A user of each demo organization for tenant isolation. Default: their admins. */
  tenants?: [Credentials, Credentials];
  /** Whether GET url/:id exists. Default true. */
  hasItem?: boolean;
}

export const demoUser = (email: string): Credentials => ({ email, password: DEMO_PASSWORD });
export const PLATFORM_ADMIN: Credentials = ADMIN;
export const ORG_ADMINS: [Credentials, Credentials] = [
  demoUser('admin@acme.example'),
  demoUser('admin@globex.example'),
];

/** The single row a statement returns (an INSERT … RETURNING). */
export async function one<T extends Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T> {
  const rows = await sql<T>(url, text, params);
  if (rows.length !== 1) throw new Error(`expected one row from: ${text}`);
  return rows[0];
}

/** Runs an INSERT … RETURNING id and returns the id. */
export async function insertedId(url: string, text: string, params: unknown[]): Promise<number> {
  return (await one<{ id: number }>(url, text, params)).id;
}

/**
 * SQL for a short random suffix: copies of a row need new values in unique
 * columns (names unique per organization, emails, slugs), and one row may be
 * copied more than once.
 */
export const SUFFIX_SQL = `substr(md5(random()::text), 1, 6)`;
