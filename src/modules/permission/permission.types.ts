export const ACTIONS = ['view', 'create', 'edit', 'delete', 'assign', 'export'] as const;
export type Action = (typeof ACTIONS)[number];

export const ENTITY_TYPES = [
  'organization',
  'user',
  'folder',
  'document_type',
  'document',
  'mail',
  'batch',
  'audit',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * Everything permission decisions of one user need, evaluated once per request
 * and cached across requests under the organization's permission version.
 */
export interface UserAccess {
  userId: number;
  email: string;
  displayName: string;
  organizationId: number | null;
  organizationName: string | null;
  isPlatformAdmin: boolean;
  isOrgAdmin: boolean;
  active: boolean;
  /** The organization's permission_version this was computed at. */
  version: number;
  /** The user's credential_version: a token is good while its `cv` is this. */
  credentialVersion: number;
  roles: { id: number; name: string }[];
  adminHub: boolean;
  /** entity type → actions granted through roles (admins: everything). */
  actions: Record<string, Action[]>;
  tabs: string[];
  /** Folders the user may view (grants flow down; system folders for all); null = every folder. */
  viewFolderIds: number[] | null;
  /** Folder grants as given (root folder, action), for write decisions. */
  folderGrants: [number, Action][];
}
