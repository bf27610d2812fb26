import type { Queryable } from '../core/database/db.service';
import { hashPassword } from '../core/auth/password';
import {
  ALL_ACTIONS,
  ALL_ENTITY_TYPES,
  insertFolder,
  insertOrganization,
  insertRole,
  insertUser,
  markSeeded,
} from './seed-sql';

export interface SeedCredentials {
  adminEmail: string;
  adminPassword: string;
  demoPassword: string;
}

export interface DemoLogin {
  email: string;
  password: string;
  what: string;
}

export const DEMO_ORGANIZATIONS = [
  { name: 'Acme Logistics', slug: 'acme' },
  { name: 'Globex Legal', slug: 'globex' },
];

const DOCUMENT_TYPES = ['Invoice', 'Receipt', 'Contract', 'Letter', 'Payslip'];

/** The small demo data set: two organizations, a few users per role, a few dozen mails and documents. */
export async function seedSmall(q: Queryable, creds: SeedCredentials): Promise<DemoLogin[]> {
  const adminHash = await hashPassword(creds.adminPassword);
  const demoHash = await hashPassword(creds.demoPassword);
  await insertUser(q, {
    organizationId: null,
    email: creds.adminEmail,
    displayName: 'Platform Administrator',
    passwordHash: adminHash,
    platformAdmin: true,
  });
  const logins: DemoLogin[] = [
    {
      email: creds.adminEmail,
      password: creds.adminPassword,
      what: 'platform admin (all organizations)',
    },
  ];

  for (const org of DEMO_ORGANIZATIONS) {
    const orgId = await insertOrganization(q, org.name, org.slug);
    const inbox = await insertFolder(q, orgId, null, 'Inbox', 'inbox');
    const archive = await insertFolder(q, orgId, null, 'Archive', 'archive');
    const finance = await insertFolder(q, orgId, null, 'Finance');
    const invoices = await insertFolder(q, orgId, finance, 'Invoices');
    const receipts = await insertFolder(q, orgId, finance, 'Receipts');
    const legal = await insertFolder(q, orgId, null, 'Legal');
    const contracts = await insertFolder(q, orgId, legal, 'Contracts');
    const hr = await insertFolder(q, orgId, null, 'HR');
    const folders = [inbox, archive, invoices, receipts, contracts, hr, finance, legal];

    await q.query(
      'INSERT INTO document_types (organization_id, name) SELECT $1, unnest($2::text[])',
      [orgId, DOCUMENT_TYPES],
    );
    const admin = await insertUser(q, {
      organizationId: orgId,
      email: `admin@${org.slug}.example`,
      displayName: `${org.name} Admin`,
      passwordHash: demoHash,
      orgAdmin: true,
    });
    const clerk = await insertUser(q, {
      organizationId: orgId,
      email: `clerk@${org.slug}.example`,
      displayName: `${org.name} Clerk`,
      passwordHash: demoHash,
    });
    const reader = await insertUser(q, {
      organizationId: orgId,
      email: `finance@${org.slug}.example`,
      displayName: `${org.name} Finance Reader`,
      passwordHash: demoHash,
    });
    const everything = Object.fromEntries(
      ALL_ENTITY_TYPES.filter((t) => t !== 'organization').map((t) => [t, ALL_ACTIONS]),
    );
    await insertRole(q, {
      organizationId: orgId,
      name: 'Administrators',
      adminHub: true,
      entityActions: everything,
      tabs: ALL_ENTITY_TYPES.filter((t) => t !== 'organization'),
      folderGrants: [finance, legal, hr].map((folderId) => ({ folderId, actions: ALL_ACTIONS })),
      members: [admin],
    });
    await insertRole(q, {
      organizationId: orgId,
      name: 'Mailroom clerks',
      entityActions: {
        mail: ['view', 'create', 'edit', 'assign'],
        document: ['view', 'create', 'edit'],
        batch: ['view', 'create'],
        folder: ['view'],
        document_type: ['view'],
      },
      tabs: ['mail', 'document', 'batch', 'folder'],
      folderGrants: [finance, legal].map((folderId) => ({
        folderId,
        actions: ['view', 'create', 'edit'],
      })),
      members: [clerk],
    });
    await insertRole(q, {
      organizationId: orgId,
      name: 'Finance readers',
      entityActions: { document: ['view'], folder: ['view'], document_type: ['view'] },
      tabs: ['document', 'folder'],
      folderGrants: [{ folderId: finance, actions: ['view'] }],
      members: [reader],
    });

    const [{ id: batchId }] = await q.query<{ id: number }>(
      `INSERT INTO batches (organization_id, name, source, status, item_count, processed_count, created_by, finished_on)
       VALUES ($1, 'Morning scan run', 'scan', 'completed', 12, 12, $2, now()) RETURNING id`,
      [orgId, clerk],
    );
    // 30 mails: received over the last two weeks, some assigned to the clerk.
    await q.query(
      `INSERT INTO mails (organization_id, batch_id, folder_id, subject, sender, received_on, priority, status,
                          assigned_to, assigned_by, assigned_on, created_on)
       SELECT $1, CASE WHEN g <= 12 THEN $2::bigint END, ($3::bigint[])[1 + g % 3],
              (ARRAY['Invoice', 'Reminder', 'Contract draft', 'Payslip query', 'Delivery note'])[1 + g % 5] || ' #' || g,
              (ARRAY['billing@supplier.example', 'legal@partner.example', 'hr@payroll.example', 'noreply@bank.example'])[1 + g % 4],
              now() - (g || ' hours')::interval * 11,
              (ARRAY['low', 'normal', 'normal', 'high', 'urgent'])[1 + g % 5],
              CASE WHEN g % 3 = 0 THEN 'assigned' WHEN g % 7 = 0 THEN 'done' ELSE 'new' END,
              CASE WHEN g % 3 = 0 THEN $4::bigint END, CASE WHEN g % 3 = 0 THEN $5::bigint END,
              CASE WHEN g % 3 = 0 THEN now() - (g || ' hours')::interval * 10 END,
              now() - (g || ' hours')::interval * 11
       FROM generate_series(1, 30) AS g`,
      [orgId, batchId, [inbox, finance, legal], clerk, admin],
    );
    // 60 documents spread over the folders and types.
    await q.query(
      `INSERT INTO documents (organization_id, folder_id, document_type_id, title, status, file_name, mime_type,
                              size_bytes, page_count, document_date, created_by, created_on)
       SELECT $1, ($2::bigint[])[1 + g % array_length($2::bigint[], 1)],
              (SELECT id FROM document_types WHERE organization_id = $1 ORDER BY id OFFSET g % 5 LIMIT 1),
              (ARRAY['Invoice', 'Receipt', 'Contract', 'Letter', 'Payslip'])[1 + g % 5] || ' ' || to_char(now() - (g || ' days')::interval, 'YYYY-MM-DD'),
              (ARRAY['active', 'active', 'draft', 'in_review', 'archived'])[1 + g % 5],
              'document-' || g || '.pdf', 'application/pdf', 20000 + g * 731, 1 + g % 9,
              (now() - (g || ' days')::interval)::date, $3, now() - (g || ' hours')::interval * 7
       FROM generate_series(1, 60) AS g`,
      [orgId, folders, clerk],
    );
    logins.push(
      {
        email: `admin@${org.slug}.example`,
        password: creds.demoPassword,
        what: `${org.name}: organization admin`,
      },
      {
        email: `clerk@${org.slug}.example`,
        password: creds.demoPassword,
        what: `${org.name}: mailroom clerk`,
      },
      {
        email: `finance@${org.slug}.example`,
        password: creds.demoPassword,
        what: `${org.name}: reads Finance only`,
      },
    );
  }
  await markSeeded(q, 'small');
  return logins;
}
