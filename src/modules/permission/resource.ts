import type { Type } from '@nestjs/common';
import type { GridDefinition } from '../../core/grid/grid.types';
import type { Action, EntityType } from './permission.types';

/** Entity types grants are given on, and roles (managed through the admin hub). */
export type GrantedType = EntityType | 'role';

/** Who may call a route, decided before any row is read. */
export type Requirement =
  /** An action granted on an entity type (organization and platform admins hold every one). */
  | { grant: GrantedType; action: Action }
  | { adminHub: true }
  | { platformAdmin: true }
  | { signedIn: true };

export const grant = (type: GrantedType, action: Action): Requirement => ({ grant: type, action });
export const ADMIN_HUB: Requirement = { adminHub: true };
export const PLATFORM_ADMIN: Requirement = { platformAdmin: true };
export const SIGNED_IN: Requirement = { signedIn: true };

/**
 * Which rows of a resource a caller reaches, and for which operation. Every
 * rule becomes part of one SQL predicate (PolicyEvaluator.scope).
 */
export interface RowRules {
  /** Tenant column: other organizations' rows are out of scope (platform admins see all). */
  tenant: string;
  /**
   * Folder column: a row needs the operation's folder-grant action on its folder
   * or an ancestor (system folders are every member's).
   */
  folder?: string;
  /** Rows without a folder are in scope for everyone the route admits. */
  folderOptional?: boolean;
  /** Folder-grant action per operation; by default `read` needs view and an operation its own name. */
  folderAction?: Readonly<Record<string, Action>>;
  /** Assignee column: the assignee always reads the row, and may do `assigneeMay` without a grant. */
  assignee?: string;
  assigneeMay?: readonly string[];
  /** Only the rows assigned to the caller (the inbox). */
  onlyOwnAssignments?: boolean;
  /** Column naming each row's entity type: rows of types the caller may not view are out of scope (audit). */
  entityType?: string;
}

/**
 * The one declaration of a resource: its grid, the requirement of each
 * operation, and its row rules. The list, columns, values and item routes,
 * their OpenAPI, the permission checks of every route and row, `npm run
 * explain` and the permission-matrix tests derive from it.
 */
export interface Resource<Op extends string = string> {
  grid: GridDefinition;
  /** Singular noun for messages: "Document 7 not found". */
  noun: string;
  /** OpenAPI tag; defaults to the grid name. */
  tag?: string;
  /**
   * The screen (tab) that shows the grid: list, columns and values need it
   * beside `policy.read`. Items and writes do not: an item is opened from many
   * screens (the inbox, a link), and what may be changed is the grants' call.
   */
  tab?: GrantedType;
  /** `read` governs the grid and the item; other operations are the module's write routes. */
  policy: { readonly read: Requirement } & { readonly [op in Op]: Requirement };
  rows: RowRules;
  /**
   * The generated item route (GET :id); false when the module serves a richer item itself.
   * `details` adds fields to the row; `detailsType` declares them for OpenAPI.
   */
  item?:
    | false
    | {
        details?: (row: Record<string, unknown>) => Record<string, unknown>;
        detailsType?: Type<unknown>;
      };
}

export function defineResource<Op extends string>(r: Resource<Op>): Resource<Op> {
  return r;
}

/** The folder-grant action an operation needs on a row's folder. */
export function folderActionOf(rules: RowRules, op: string): Action {
  const declared = rules.folderAction?.[op];
  if (declared) return declared;
  if (op === 'read') return 'view';
  return op as Action;
}
