import { ApiError } from '../../../core/http/api-error';
import type { Action, UserAccess } from '../permission.types';

/** Who writes roles, memberships and admin flags: every such route requires the admin hub first. */
export const GRANTERS = ['platform admin', 'organization admin', 'admin-hub user'] as const;
export type Granter = (typeof GRANTERS)[number];

/** `own grants only`: what the granter holds himself (entity actions, tabs, folder grants). */
export type Allowance = 'yes' | 'no' | 'own grants only';

export type HandoutCode =
  'ROLE_GRANT_ADMIN_HUB' | 'ROLE_GRANT_ORG_ADMIN' | 'ROLE_GRANT_SELF' | 'ROLE_GRANT_EXCEEDS_OWN';

export interface HandoutRule {
  readonly code: HandoutCode;
  /** What is handed out, as the README shows it. */
  readonly what: string;
  /** The request fields a refusal names. */
  readonly fields: readonly string[];
  readonly who: Readonly<Record<Granter, Allowance>>;
}

/**
 * Who may hand out what: the one declaration, checked in this order by
 * `checkRoleHandout` on user creation and change, role memberships, role
 * creation, change and grants; rendered into the README. A refusal is a 403
 * with the rule's code, naming the field.
 */
export const ROLE_HANDOUT_RULES: readonly HandoutRule[] = [
  {
    code: 'ROLE_GRANT_ADMIN_HUB',
    what: 'a role opening the admin hub (given, taken, changed), the admin-hub flag',
    fields: ['roleIds', 'id', 'adminHub'],
    who: { 'platform admin': 'yes', 'organization admin': 'yes', 'admin-hub user': 'no' },
  },
  {
    code: 'ROLE_GRANT_ORG_ADMIN',
    what: 'organization admin rights (given or taken)',
    fields: ['isOrgAdmin'],
    who: { 'platform admin': 'yes', 'organization admin': 'yes', 'admin-hub user': 'no' },
  },
  {
    // Roles add nothing to what an admin holds; anyone else needs a second person to change his own rights.
    code: 'ROLE_GRANT_SELF',
    what: "one's own roles (any change)",
    fields: ['roleIds'],
    who: { 'platform admin': 'yes', 'organization admin': 'yes', 'admin-hub user': 'no' },
  },
  {
    code: 'ROLE_GRANT_EXCEEDS_OWN',
    what: 'entity actions, tabs, folder grants (added to a role, or in a role given)',
    fields: ['entityActions', 'tabs', 'folderGrants', 'roleIds'],
    who: {
      'platform admin': 'yes',
      'organization admin': 'yes',
      'admin-hub user': 'own grants only',
    },
  },
];

/** A role's grants; folder grants with the folder's path (root … folder), for grants flowing down. */
export interface Grants {
  entityActions: [string, Action][];
  tabs: string[];
  folderGrants: { folderId: number; path: number[]; actions: Action[] }[];
}

export interface HandedRole extends Grants {
  id: number;
  name: string;
  adminHub: boolean;
}

/** What one write hands out (or takes), as the rules need to know it. */
export interface Handout {
  /** The account whose roles or flags change; absent for a new user or a role write. */
  account?: number;
  /** The write makes someone an organization admin or unmakes one. */
  orgAdmin?: boolean;
  /** Roles a user gets, and those he loses (memberships). */
  rolesGiven?: HandedRole[];
  rolesTaken?: HandedRole[];
  /** The write sets a role's admin-hub flag. */
  adminHubFlag?: boolean;
  /** The write changes or deletes this role, which opens the admin hub. */
  adminHubRole?: { id: number; name: string };
  /** Grants added to a role (only those it did not hold); `index` is the folderGrants entry. */
  grantsAdded?: {
    entityActions: [string, Action][];
    tabs: string[];
    folderGrants: { index: number; folderId: number; path: number[]; actions: Action[] }[];
  };
}

export type HandoutGranter = Pick<
  UserAccess,
  'userId' | 'isPlatformAdmin' | 'isOrgAdmin' | 'adminHub' | 'actions' | 'tabs' | 'folderGrants'
>;

export function granterOf(access: HandoutGranter): Granter {
  if (access.isPlatformAdmin) return 'platform admin';
  return access.isOrgAdmin ? 'organization admin' : 'admin-hub user';
}

/** True when the table lets this granter hand out anything (nothing to load or check). */
export function handsOutAnything(access: HandoutGranter): boolean {
  const who = granterOf(access);
  return ROLE_HANDOUT_RULES.every((r) => r.who[who] === 'yes');
}

const HUB: HandoutCode = 'ROLE_GRANT_ADMIN_HUB';
const EXCEEDS: HandoutCode = 'ROLE_GRANT_EXCEEDS_OWN';

/** One thing a write hands out, under one rule; `held`: the granter holds it himself. */
interface Touch {
  code: HandoutCode;
  parameter: string;
  what: string;
  held: boolean;
}

/**
 * The one check of every handout: 403 with the code of the first rule (in
 * table order) that refuses what the write hands out to this granter.
 */
export function checkRoleHandout(access: HandoutGranter, handout: Handout): void {
  const who = granterOf(access);
  const touches = touchesOf(access, handout);
  for (const rule of ROLE_HANDOUT_RULES) {
    const allowance = rule.who[who];
    if (allowance === 'yes') continue;
    const refused = touches.find((t) => t.code === rule.code && (allowance === 'no' || !t.held));
    if (refused) throw refusal(rule, who, refused);
  }
}

function touchesOf(access: HandoutGranter, h: Handout): Touch[] {
  const touches: Touch[] = [];
  const add = (code: HandoutCode, parameter: string, what: string, held: boolean) =>
    touches.push({ code, parameter, what, held });
  const hub = access.adminHub;
  for (const r of h.rolesGiven ?? []) {
    if (r.adminHub) add(HUB, 'roleIds', `giving role ${label(r)}, which opens the admin hub`, hub);
  }
  for (const r of h.rolesTaken ?? []) {
    if (r.adminHub) add(HUB, 'roleIds', `taking role ${label(r)}, which opens the admin hub`, hub);
  }
  if (h.adminHubRole) {
    const r = label(h.adminHubRole);
    add(HUB, 'id', `changing or deleting role ${r}, which opens the admin hub`, hub);
  }
  if (h.adminHubFlag) add(HUB, 'adminHub', 'setting the admin-hub flag of a role', hub);
  if (h.orgAdmin) {
    add(
      'ROLE_GRANT_ORG_ADMIN',
      'isOrgAdmin',
      'making or unmaking an organization admin',
      access.isOrgAdmin,
    );
  }
  const changesRoles = (h.rolesGiven?.length ?? 0) + (h.rolesTaken?.length ?? 0) > 0;
  if (h.account === access.userId && changesRoles) {
    add('ROLE_GRANT_SELF', 'roleIds', 'changing your own roles', true);
  }
  for (const r of h.rolesGiven ?? []) {
    const missing = missingGrants(access, r);
    const what = `giving role ${label(r)}, which grants ${named(missing, ['nothing you lack'])}`;
    add(EXCEEDS, 'roleIds', what, missing.length === 0);
  }
  const added = h.grantsAdded;
  if (added) {
    const byType = new Map<string, Action[]>();
    for (const [type, action] of added.entityActions) {
      byType.set(type, [...(byType.get(type) ?? []), action]);
    }
    for (const [type, actions] of byType) {
      const missing = actions.filter((a) => !holdsAction(access, type, a));
      const what = `granting ${type} ${named(missing, actions)}`;
      add(EXCEEDS, `entityActions.${type}`, what, missing.length === 0);
    }
    if (added.tabs.length > 0) {
      const missing = added.tabs.filter((t) => !access.tabs.includes(t));
      add(EXCEEDS, 'tabs', `granting tab ${named(missing, added.tabs)}`, missing.length === 0);
    }
    for (const g of added.folderGrants.filter((f) => f.actions.length > 0)) {
      const missing = g.actions.filter((a) => !holdsInFolder(access, g.path, a));
      const what = `granting ${named(missing, g.actions)} on folder ${g.folderId}`;
      add(EXCEEDS, `folderGrants.${g.index}.actions`, what, missing.length === 0);
    }
  }
  return touches;
}

/** The grants of a role that the granter does not hold, named for a message. */
function missingGrants(access: HandoutGranter, g: Grants): string[] {
  return [
    ...g.entityActions.filter(([t, a]) => !holdsAction(access, t, a)).map(([t, a]) => `${t} ${a}`),
    ...g.tabs.filter((t) => !access.tabs.includes(t)).map((t) => `tab ${t}`),
    ...g.folderGrants.flatMap((f) =>
      f.actions
        .filter((a) => !holdsInFolder(access, f.path, a))
        .map((a) => `${a} on folder ${f.folderId}`),
    ),
  ];
}

function holdsAction(access: HandoutGranter, type: string, action: Action): boolean {
  return access.actions[type]?.includes(action) ?? false;
}

/** A grant on the folder or one of its ancestors (grants flow down). */
function holdsInFolder(access: HandoutGranter, path: number[], action: Action): boolean {
  return access.folderGrants.some(([folderId, a]) => a === action && path.includes(folderId));
}

/** What the message names: what the granter lacks, else everything handed out. */
function named(missing: string[], all: string[]): string {
  return (missing.length > 0 ? missing : all).join(', ');
}

function label(r: { id: number; name: string }): string {
  return `${r.id} (${r.name})`;
}

function refusal(rule: HandoutRule, who: Granter, t: Touch): ApiError {
  const may = GRANTERS.filter((g) => rule.who[g] === 'yes').map((g) => `${g}s`);
  const why =
    rule.who[who] === 'no'
      ? `only ${may.join(' and ')} may do this`
      : `you do not hold that yourself, and ${who}s hand out only what they hold`;
  return new ApiError(403, rule.code, `${t.parameter}: ${t.what}: ${why}`, t.parameter);
}

/** The grants a write adds to a role: those given that the role does not hold already. */
export function grantsAdded(
  given: {
    entityActions?: [string, Action][];
    tabs?: string[];
    folderGrants?: { folderId: number; path: number[]; actions: Action[] }[];
  },
  before: { entityActions: [string, Action][]; tabs: string[]; folderGrants: [number, Action][] },
): NonNullable<Handout['grantsAdded']> {
  const had = new Set(before.entityActions.map(([t, a]) => `${t} ${a}`));
  const hadFolder = new Set(before.folderGrants.map(([f, a]) => `${f} ${a}`));
  return {
    entityActions: (given.entityActions ?? []).filter(([t, a]) => !had.has(`${t} ${a}`)),
    tabs: (given.tabs ?? []).filter((t) => !before.tabs.includes(t)),
    folderGrants: (given.folderGrants ?? []).map((g, index) => ({
      index,
      folderId: g.folderId,
      path: g.path,
      actions: g.actions.filter((a) => !hadFolder.has(`${g.folderId} ${a}`)),
    })),
  };
}

/** The table as the README shows it (a Prettier-formatted Markdown table). */
export function renderRoleHandoutTable(): string {
  const header = ['what is handed out', 'fields', ...GRANTERS.map((g) => `${g}s`), 'refused with'];
  const rows = ROLE_HANDOUT_RULES.map((r) => [
    r.what,
    r.fields.map((f) => `\`${f}\``).join(', '),
    ...GRANTERS.map((g) => r.who[g]),
    `403 \`${r.code}\``,
  ]);
  const cells = [header, ...rows].map((r) => r.map((c) => c.replace(/\|/g, '\\|')));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
