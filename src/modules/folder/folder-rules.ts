import { ApiError } from '../../core/http/api-error';
import { FOLDER_MAX_DEPTH } from './folder.grid';
import type { FolderRef } from './folder.repository';

/** System folders (Inbox, Archive) belong to every member: never renamed, moved or deleted. */
export function refuseSystemFolder(
  folder: { id: number; systemKey: string | null },
  what: 'renamed' | 'moved' | 'deleted',
  parameter: string,
): void {
  if (folder.systemKey !== null) {
    throw ApiError.conflict(
      'FOLDER_SYSTEM',
      `${parameter}: folder ${folder.id} is the ${folder.systemKey} system folder and cannot be ${what}`,
      parameter,
    );
  }
}

/**
 * A move of `folder` (with `height` levels below it) under `parent` (null: to the
 * root) must neither put a folder inside itself nor push any part of the subtree
 * past the deepest level.
 */
export function checkMove(folder: FolderRef, parent: FolderRef | null, height: number): void {
  if (parent && parent.path.includes(folder.id)) {
    throw ApiError.conflict(
      'FOLDER_CYCLE',
      parent.id === folder.id
        ? `parentId: folder ${folder.id} cannot be its own parent`
        : `parentId: folder ${parent.id} lies inside folder ${folder.id}; a folder cannot move into its own subtree`,
      'parentId',
    );
  }
  checkDepth(parent, height);
}

/** The deepest level the subtree would reach under parent, refused past FOLDER_MAX_DEPTH. */
export function checkDepth(parent: FolderRef | null, height: number): void {
  const deepest = (parent ? parent.depth + 1 : 0) + height;
  if (deepest > FOLDER_MAX_DEPTH) {
    throw ApiError.conflict(
      'FOLDER_TOO_DEEP',
      `parentId: folders nest at most ${FOLDER_MAX_DEPTH + 1} levels; this would reach ${deepest + 1}`,
      'parentId',
    );
  }
}

/** "subfolders, documents and mails" from what a folder still holds. */
export function describeContents(c: {
  subfolders: boolean;
  documents: boolean;
  mails: boolean;
}): string | undefined {
  const parts = [c.subfolders && 'subfolders', c.documents && 'documents', c.mails && 'mails'];
  const found = parts.filter((p): p is string => typeof p === 'string');
  if (found.length === 0) return undefined;
  if (found.length === 1) return found[0];
  return `${found.slice(0, -1).join(', ')} and ${found[found.length - 1]}`;
}
