import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** Tables the migration tooling owns; no entity describes them. */
const TOOLING_TABLES = new Set(['typeorm_migrations']);

interface ColumnShape {
  type: string;
  nullable: boolean;
  primary: boolean;
}

type TableShapes = Map<string, Map<string, ColumnShape>>;

/**
 * Compares the entity classes with the live schema of the database at `url`:
 * tables, columns, PostgreSQL types, nullability and primary keys, both ways.
 * Returns one human-readable line per difference (empty when they agree).
 */
export async function findSchemaDrift(
  url: string,
  entities: readonly (new () => unknown)[],
): Promise<string[]> {
  const fromEntities = await entityShapes(url, entities);
  const fromDatabase = await databaseShapes(url);
  return compareShapes(fromEntities, fromDatabase);
}

export function compareShapes(entities: TableShapes, database: TableShapes): string[] {
  const differences: string[] = [];
  const tables = [...new Set([...entities.keys(), ...database.keys()])].sort();
  for (const table of tables) {
    const e = entities.get(table);
    const d = database.get(table);
    if (!e) {
      differences.push(`table ${table}: in the database, but no entity describes it`);
      continue;
    }
    if (!d) {
      differences.push(`table ${table}: has an entity, but is not in the database`);
      continue;
    }
    const columns = [...new Set([...e.keys(), ...d.keys()])].sort();
    for (const column of columns) {
      const ec = e.get(column);
      const dc = d.get(column);
      const where = `${table}.${column}`;
      if (!ec) {
        differences.push(`${where}: in the database (${describe(dc!)}), missing from the entity`);
      } else if (!dc) {
        differences.push(`${where}: in the entity (${describe(ec)}), missing from the database`);
      } else {
        if (ec.type !== dc.type)
          differences.push(
            `${where}: type is ${dc.type} in the database, ${ec.type} in the entity`,
          );
        if (ec.nullable !== dc.nullable)
          differences.push(
            `${where}: ${nullability(dc)} in the database, ${nullability(ec)} in the entity`,
          );
        if (ec.primary !== dc.primary)
          differences.push(
            `${where}: ${dc.primary ? 'is' : 'is not'} part of the primary key in the database, ` +
              `${ec.primary ? 'is' : 'is not'} in the entity`,
          );
      }
    }
  }
  return differences;
}

function describe(c: ColumnShape): string {
  return `${c.type} ${nullability(c)}`;
}

function nullability(c: ColumnShape): string {
  return c.nullable ? 'NULL' : 'NOT NULL';
}

async function entityShapes(
  url: string,
  entities: readonly (new () => unknown)[],
): Promise<TableShapes> {
  const ds = new DataSource({
    type: 'postgres',
    url,
    entities: [...entities],
    synchronize: false,
    logging: false,
    extra: { max: 1 },
  });
  await ds.initialize();
  try {
    const shapes: TableShapes = new Map();
    for (const meta of ds.entityMetadatas) {
      if (shapes.has(meta.tableName)) throw new Error(`two entities map table ${meta.tableName}`);
      const columns = new Map<string, ColumnShape>();
      for (const c of meta.columns) {
        columns.set(c.databaseName, {
          type: entityColumnType(ds, c),
          nullable: c.isNullable,
          primary: c.isPrimary,
        });
      }
      shapes.set(meta.tableName, columns);
    }
    return shapes;
  } finally {
    await ds.destroy();
  }
}

/** The driver's own normalization turns aliases (timestamptz, int4, ...) into PostgreSQL's names. */
function entityColumnType(ds: DataSource, c: ColumnMetadata): string {
  const base = ds.driver.normalizeType(c);
  return c.isArray ? `ARRAY of ${base}` : base;
}

async function databaseShapes(url: string): Promise<TableShapes> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      element_type: string | null;
      is_nullable: 'YES' | 'NO';
      is_primary: boolean;
    }>(
      `SELECT c.table_name, c.column_name, c.data_type,
              format_type(t.typelem, NULL) AS element_type,
              c.is_nullable,
              EXISTS (
                SELECT 1 FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage k
                  ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
                WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
                  AND tc.table_name = c.table_name AND k.column_name = c.column_name
              ) AS is_primary
       FROM information_schema.columns c
       JOIN information_schema.tables tb
         ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
       LEFT JOIN pg_type t
         ON c.data_type = 'ARRAY' AND t.typname = c.udt_name
         AND t.typnamespace = 'pg_catalog'::regnamespace
       WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
       ORDER BY c.table_name, c.ordinal_position`,
    );
    const shapes: TableShapes = new Map();
    for (const r of rows) {
      if (TOOLING_TABLES.has(r.table_name)) continue;
      let columns = shapes.get(r.table_name);
      if (!columns) shapes.set(r.table_name, (columns = new Map<string, ColumnShape>()));
      columns.set(r.column_name, {
        type: r.data_type === 'ARRAY' ? `ARRAY of ${r.element_type ?? '?'}` : r.data_type,
        nullable: r.is_nullable === 'YES',
        primary: r.is_primary,
      });
    }
    return shapes;
  } finally {
    await client.end();
  }
}
