import { Client } from 'pg';
import type { FieldSpec } from '../../src/core/http/fields';
import { INT4_MAX, INT8_MAX } from '../../src/core/http/fields';
import { dtoProperties, fieldSpecs, requestDtos } from '../support/dto-fields';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

/** The table each request DTO writes; its properties are its columns in snake_case. */
const TABLE_OF: Record<string, string> = {
  LoginDto: 'users',
  CreateUserDto: 'users',
  UpdateUserDto: 'users',
  SetUserRolesDto: 'users',
  CreateOrganizationDto: 'organizations',
  UpdateOrganizationDto: 'organizations',
  CreateRoleDto: 'roles',
  UpdateRoleDto: 'roles',
  RoleGrantsDto: 'roles',
  SetRoleGrantsDto: 'roles',
  FolderGrantDto: 'role_folder_permissions',
  CreateFolderDto: 'folders',
  UpdateFolderDto: 'folders',
  CreateDocumentTypeDto: 'document_types',
  UpdateDocumentTypeDto: 'document_types',
  CreateDocumentDto: 'documents',
  UpdateDocumentDto: 'documents',
  CreateMailDto: 'mails',
  UpdateMailDto: 'mails',
  MailActionDto: 'mails',
  AssignMailDto: 'mails',
  MailStatusDto: 'mails',
  CreateBatchDto: 'batches',
  CancelBatchDto: 'batches',
  BatchItemDto: 'mails',
};

/**
 * Properties that are not the column of their name: another column ("table.column"),
 * or no column at all (null: what the service makes of them is its own to check).
 */
const COLUMN_OF: Record<string, string | null> = {
  'LoginDto.password': null,
  'CreateUserDto.password': null,
  'UpdateUserDto.password': null,
  'CreateUserDto.roleIds': 'user_roles.role_id',
  'SetUserRolesDto.roleIds': 'user_roles.role_id',
  'AssignMailDto.userId': 'mails.assigned_to',
  'RoleGrantsDto.entityActions': null,
  'RoleGrantsDto.tabs': 'role_tab_permissions.tab',
  'RoleGrantsDto.folderGrants': null,
  'FolderGrantDto.actions': 'role_folder_permissions.action',
  'CreateBatchDto.items': null,
  'BatchItemDto.documentTitle': 'documents.title',
  'BatchItemDto.documentTypeId': 'documents.document_type_id',
};
for (const dto of ['CreateRoleDto', 'SetRoleGrantsDto']) {
  for (const p of ['entityActions', 'tabs', 'folderGrants'])
    COLUMN_OF[`${dto}.${p}`] = COLUMN_OF[`RoleGrantsDto.${p}`];
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Column {
  type: string;
  /** From CHECK (char_length(col) <= n) or (char_length(btrim(col)) BETWEEN 1 AND n). */
  maxChars?: number;
  /** From CHECK (col IN (...)). */
  values?: string[];
}

async function readColumns(url: string): Promise<Map<string, Column>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const cols = await c.query<{ t: string; c: string; type: string }>(
      `SELECT table_name AS t, column_name AS c, data_type AS type
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const checks = await c.query<{ t: string; def: string }>(
      `SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'c'`,
    );
    const out = new Map<string, Column>();
    for (const r of cols.rows) out.set(`${r.t}.${r.c}`, { type: r.type });
    for (const { t, def } of checks.rows) {
      for (const m of def.matchAll(/char_length\((?:btrim\()?(\w+)\)?\) <= (\d+)/g)) {
        const col = out.get(`${t}.${m[1]}`);
        if (col) col.maxChars = Number(m[2]);
      }
      const inList = /^CHECK \(\(?(\w+) = ANY \(ARRAY\[(.*)\]\)\)/.exec(def);
      if (inList) {
        const col = out.get(`${t}.${inList[1]}`);
        if (col) col.values = [...inList[2].matchAll(/'([^']*)'::text/g)].map((v) => v[1]);
      }
    }
    return out;
  } finally {
    await c.end();
  }
}

/** What is wrong with a declaration for a column (undefined: it fits). */
function misfit(spec: FieldSpec, col: Column): string | undefined {
  switch (col.type) {
    case 'integer':
      if ((spec.kind === 'int4' || spec.kind === 'version') && spec.max === INT4_MAX) return;
      return `an int4 column takes @Int4Field/@VersionField (max ${INT4_MAX}), got ${spec.kind}`;
    case 'bigint':
      if (
        (spec.kind === 'id' || spec.kind === 'int8' || spec.kind === 'id-array') &&
        spec.max <= INT8_MAX
      )
        return;
      return `an int8 column takes @IdField/@Int8Field/@IdArrayField, got ${spec.kind}`;
    case 'boolean':
      return spec.kind === 'bool' ? undefined : `a boolean column takes @BoolField`;
    case 'date':
    case 'timestamp with time zone':
      return spec.kind === 'date' ? undefined : `a date column takes @DateField`;
    case 'text':
      if (col.values) {
        if (spec.kind !== 'enum' && spec.kind !== 'enum-array') return 'takes @EnumField';
        return [...spec.values].sort().join() === [...col.values].sort().join()
          ? undefined
          : `values ${spec.values.join()} ≠ CHECK ${col.values.join()}`;
      }
      if (spec.kind === 'enum' || spec.kind === 'enum-array') return; // a reference (entity_types)
      if (spec.kind !== 'text' && spec.kind !== 'email') return `a text column takes @TextField`;
      if (col.maxChars !== undefined && spec.max !== col.maxChars)
        return `max ${spec.max} ≠ CHECK char_length ≤ ${col.maxChars}`;
      return;
    default:
      return `no rule for a ${col.type} column`;
  }
}

describe('DTO field limits', () => {
  let db: TestDatabase;
  let columns: Map<string, Column>;
  beforeAll(async () => {
    db = await createTestDatabase();
    columns = await readColumns(db.url);
  });
  afterAll(async () => db.drop());

  it('reads the limits of the schema', () => {
    expect(columns.get('documents.title')).toEqual({ type: 'text', maxChars: 500 });
    expect(columns.get('mails.priority')?.values).toEqual(['low', 'normal', 'high', 'urgent']);
  });

  it('every request DTO property matches its column (type, int4/int8 bound, text length, values)', () => {
    const problems: string[] = [];
    for (const dto of requestDtos()) {
      const specs = fieldSpecs(dto.cls);
      const table = TABLE_OF[dto.name];
      if (!table) {
        problems.push(`${dto.name} (${dto.file}): add the table it writes to TABLE_OF`);
        continue;
      }
      for (const prop of dtoProperties(dto.cls)) {
        const where = `${dto.name}.${prop}`;
        const spec = specs.get(prop);
        if (!spec) {
          problems.push(`${where}: no field decorator`);
          continue;
        }
        const key = where in COLUMN_OF ? COLUMN_OF[where] : `${table}.${snake(prop)}`;
        if (key === null) continue;
        const col = columns.get(key);
        if (!col) {
          problems.push(`${where}: no column ${key} (name it in COLUMN_OF)`);
          continue;
        }
        const wrong = misfit(spec, col);
        if (wrong) problems.push(`${where} (${key}): ${wrong}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
