import {
  DEPARTMENTS,
  DOCUMENT_TYPES,
  FIRST_NAMES,
  LAST_NAMES,
  ORGANIZATION_NAMES,
  QUARTERS,
} from './large-seed-data';
import { ALL_ACTIONS, ALL_ENTITY_TYPES } from './seed-sql';

/**
 * The shape of the large data set, decided in plain TypeScript: organizations,
 * folder trees, document types, users and roles (a few thousand rows, inserted
 * set-based from arrays). The bulk rows (batches, mails, documents) are made in
 * SQL from the counts here.
 */

export interface VolumeCounts {
  documents: number;
  mails: number;
  batches: number;
}

export const FULL_SCALE: VolumeCounts = { documents: 1_000_000, mails: 300_000, batches: 2_000 };

/** The bulk row counts at `scale` (1 = the full data set; tests use e.g. 0.001). */
export function volumeCounts(scale: number): VolumeCounts {
  if (!(scale > 0 && scale <= 10)) throw new RangeError(`scale must be in (0, 10], got ${scale}`);
  return {
    documents: Math.max(24, Math.round(FULL_SCALE.documents * scale)),
    mails: Math.max(24, Math.round(FULL_SCALE.mails * scale)),
    batches: Math.max(1, Math.round(FULL_SCALE.batches * scale)),
  };
}

/** With 24 organizations and exponent 1.2 the biggest holds ~34% of the rows, the smallest <1%. */
const ZIPF_EXPONENT = 1.2;
const USERS_TOTAL = 720;
const MIN_USERS_PER_ORG = 8;

export interface OrgPlan {
  /** 1 = biggest. */
  rank: number;
  name: string;
  slug: string;
  /** Expected share of the bulk rows. */
  share: number;
  departments: number;
  areasPerDepartment: number;
  quarters: boolean;
  users: number;
  documentTypes: number;
}

export function planOrganizations(): OrgPlan[] {
  const weights = ORGANIZATION_NAMES.map((_, i) => 1 / (i + 1) ** ZIPF_EXPONENT);
  const total = weights.reduce((a, b) => a + b, 0);
  return ORGANIZATION_NAMES.map((o, i) => {
    const rank = i + 1;
    const share = weights[i] / total;
    return {
      rank,
      name: o.name,
      slug: o.slug,
      share,
      departments: Math.max(3, DEPARTMENTS.length - Math.floor(i / 2)),
      areasPerDepartment: rank <= 6 ? 3 : 2,
      quarters: rank === 1,
      users: Math.max(MIN_USERS_PER_ORG, Math.round(USERS_TOTAL * share)),
      documentTypes: Math.max(4, 10 - Math.floor(i / 3)),
    };
  });
}

/** Lower bounds of each organization's slice of [0, 1): width_bucket(random(), bounds) is its rank. */
export function shareBounds(orgs: readonly OrgPlan[]): number[] {
  const bounds: number[] = [];
  let acc = 0;
  for (const o of orgs) {
    bounds.push(acc);
    acc += o.share;
  }
  return bounds;
}

export interface FolderPlan {
  org: number;
  /** Index of the parent in the plan, or null at the root. */
  parent: number | null;
  name: string;
  depth: number;
  systemKey: 'inbox' | 'archive' | null;
  /** Set on department root folders: the index into DEPARTMENTS. */
  department: number | null;
}

/**
 * Per organization: Inbox and Archive, then department → area → year (→ quarter)
 * trees, the years being the last three (the data covers the last three years).
 */
export function planFolders(
  orgs: readonly OrgPlan[],
  currentYear = new Date().getUTCFullYear(),
): FolderPlan[] {
  const years = [currentYear - 2, currentYear - 1, currentYear].map(String);
  const plan: FolderPlan[] = [];
  const add = (f: FolderPlan): number => plan.push(f) - 1;
  for (const o of orgs) {
    const base = { org: o.rank, parent: null, depth: 0, department: null };
    add({ ...base, name: 'Inbox', systemKey: 'inbox' });
    add({ ...base, name: 'Archive', systemKey: 'archive' });
    for (let d = 0; d < o.departments; d++) {
      const dept = DEPARTMENTS[d];
      const root = add({ ...base, name: dept.name, systemKey: null, department: d });
      for (const areaName of dept.areas.slice(0, o.areasPerDepartment)) {
        const area = add({ ...base, parent: root, name: areaName, depth: 1, systemKey: null });
        for (const yearName of years) {
          const year = add({ ...base, parent: area, name: yearName, depth: 2, systemKey: null });
          if (!o.quarters) continue;
          for (const q of QUARTERS)
            add({ ...base, parent: year, name: q, depth: 3, systemKey: null });
        }
      }
    }
  }
  return plan;
}

/** Ancestor indexes from the root down to `index` itself. */
export function folderPath(plan: readonly FolderPlan[], index: number): number[] {
  const path: number[] = [];
  for (let i: number | null = index; i !== null; i = plan[i].parent) path.unshift(i);
  return path;
}

export interface DocumentTypePlan {
  org: number;
  name: string;
  retentionDays: number | null;
}

export function planDocumentTypes(orgs: readonly OrgPlan[]): DocumentTypePlan[] {
  return orgs.flatMap((o) =>
    DOCUMENT_TYPES.slice(0, o.documentTypes).map((t) => ({ org: o.rank, ...t })),
  );
}

export type UserKind = 'admin' | 'clerk' | 'case_worker' | 'reader' | 'auditor';

export interface UserPlan {
  org: number;
  email: string;
  displayName: string;
  kind: UserKind;
  /** Departments (indexes into DEPARTMENTS) whose folders a reader may see. */
  readerOf: number[];
  active: boolean;
}

/** The users the benchmarks log in as, all in the biggest organization. */
export interface SpecialUsers {
  organization: string;
  platformAdmin: string;
  orgAdmin: string;
  /** Has thousands of mails assigned: the inbox benchmark. */
  inboxUser: string;
  /** Sees only the Finance and Legal folder trees: the "grid-user" benchmark. */
  folderScopedUser: string;
}

export function specialUsers(adminEmail: string): SpecialUsers {
  const biggest = ORGANIZATION_NAMES[0];
  return {
    organization: biggest.name,
    platformAdmin: adminEmail,
    orgAdmin: `admin@${biggest.slug}.example`,
    inboxUser: `inbox.clerk@${biggest.slug}.example`,
    folderScopedUser: `grid.reader@${biggest.slug}.example`,
  };
}

/** Share of the biggest organization's assigned mails that go to the inbox user. */
export const INBOX_USER_SHARE = 0.08;

const KIND_BY_LAST_DIGIT: readonly UserKind[] = [
  'clerk',
  'clerk',
  'clerk',
  'clerk',
  'case_worker',
  'case_worker',
  'reader',
  'reader',
  'reader',
  'auditor',
];

export function planUsers(orgs: readonly OrgPlan[]): UserPlan[] {
  const special = specialUsers('');
  const users: UserPlan[] = [];
  for (const o of orgs) {
    for (let k = 1; k <= o.users; k++) {
      const first = FIRST_NAMES[(k * 7 + o.rank * 3) % FIRST_NAMES.length];
      const last = LAST_NAMES[(k * 11 + o.rank * 5) % LAST_NAMES.length];
      const user: UserPlan = {
        org: o.rank,
        email: `${first}.${last}${k}@${o.slug}.example`.toLowerCase(),
        displayName: `${first} ${last}`,
        kind: KIND_BY_LAST_DIGIT[k % 10],
        readerOf: [],
        active: k % 37 !== 0,
      };
      if (k === 1 || k % 50 === 0) user.kind = 'admin';
      if (k === 1) user.email = `admin@${o.slug}.example`;
      if (user.kind === 'reader') user.readerOf = [k % o.departments];
      // Some case workers also read another department: permissions are a union of roles.
      if (user.kind === 'case_worker' && k % 3 === 0) user.readerOf = [(k + 1) % o.departments];
      if (o.rank === 1 && k === 2) {
        user.kind = 'clerk';
        user.email = special.inboxUser;
      }
      if (o.rank === 1 && k === 3) {
        user.kind = 'reader';
        user.email = special.folderScopedUser;
        user.readerOf = [0, 1];
      }
      users.push(user);
    }
  }
  return users;
}

export interface RolePlan {
  org: number;
  name: string;
  description: string;
  adminHub: boolean;
  entityActions: Record<string, readonly string[]>;
  tabs: readonly string[];
  /** Granted on each listed department's root folder (and so on its subtree). */
  folderActions: readonly string[];
  departments: number[];
  /** Indexes into the user plan. */
  members: number[];
}

const BUSINESS_TYPES = ALL_ENTITY_TYPES.filter((t) => t !== 'organization');
const READ = ['view'] as const;
const WRITE = ['view', 'create', 'edit'] as const;

export function planRoles(orgs: readonly OrgPlan[], users: readonly UserPlan[]): RolePlan[] {
  const roles: RolePlan[] = [];
  for (const o of orgs) {
    const all = [...Array(o.departments).keys()];
    const members = (test: (u: UserPlan) => boolean) =>
      users.flatMap((u, i) => (u.org === o.rank && test(u) ? [i] : []));
    const role = (r: Omit<RolePlan, 'org' | 'adminHub'> & { adminHub?: boolean }) =>
      roles.push({ org: o.rank, adminHub: false, ...r });

    role({
      name: 'Administrators',
      description: 'Everything in this organization, including the admin hub',
      adminHub: true,
      entityActions: Object.fromEntries(BUSINESS_TYPES.map((t) => [t, ALL_ACTIONS])),
      tabs: BUSINESS_TYPES,
      folderActions: ALL_ACTIONS,
      departments: all,
      members: members((u) => u.kind === 'admin'),
    });
    role({
      name: 'Mailroom clerks',
      description: 'Open, assign and file incoming mail',
      entityActions: {
        mail: ['view', 'create', 'edit', 'assign'],
        document: WRITE,
        batch: ['view', 'create'],
        folder: READ,
        document_type: READ,
      },
      tabs: ['mail', 'document', 'batch', 'folder'],
      folderActions: WRITE,
      departments: all,
      members: members((u) => u.kind === 'clerk'),
    });
    role({
      name: 'Case workers',
      description: 'Work assigned mail and its documents in their departments',
      entityActions: { mail: ['view', 'edit'], document: WRITE, folder: READ, document_type: READ },
      tabs: ['mail', 'document', 'folder'],
      folderActions: WRITE,
      departments: all.filter((d) => d % 2 === 0),
      members: members((u) => u.kind === 'case_worker'),
    });
    role({
      name: 'Auditors',
      description: 'Read everything and the audit log',
      entityActions: {
        audit: ['view', 'export'],
        document: READ,
        mail: READ,
        batch: READ,
        folder: READ,
      },
      tabs: ['audit', 'document', 'mail', 'batch', 'folder'],
      folderActions: READ,
      departments: all,
      members: members((u) => u.kind === 'auditor'),
    });
    for (const d of all) {
      role({
        name: `${DEPARTMENTS[d].name} readers`,
        description: `Read the ${DEPARTMENTS[d].name} folders`,
        entityActions: { document: READ, mail: READ, folder: READ, document_type: READ },
        tabs: ['document', 'mail', 'folder'],
        folderActions: READ,
        departments: [d],
        members: members((u) => u.readerOf.includes(d)),
      });
    }
  }
  return roles;
}
