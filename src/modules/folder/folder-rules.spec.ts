import type { ApiError } from '../../core/http/api-error';
import { checkMove, describeContents, refuseSystemFolder } from './folder-rules';
import type { FolderRef } from './folder.repository';

const ref = (path: number[], systemKey: string | null = null): FolderRef => ({
  id: path[path.length - 1],
  organizationId: 1,
  path,
  depth: path.length - 1,
  systemKey,
});

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return ((e as ApiError).getResponse() as { code: string }).code;
  }
}

describe('folder rules', () => {
  it('refuses moving a folder into itself or its subtree', () => {
    const a = ref([1]);
    expect(codeOf(() => checkMove(a, ref([1]), 0))).toBe('FOLDER_CYCLE');
    expect(codeOf(() => checkMove(a, ref([1, 2, 3]), 2))).toBe('FOLDER_CYCLE');
  });

  it('allows a move beside or above, including to the root', () => {
    expect(codeOf(() => checkMove(ref([1, 2]), ref([5]), 3))).toBeUndefined();
    expect(codeOf(() => checkMove(ref([1, 2]), null, 3))).toBeUndefined();
  });

  it('refuses a move pushing the subtree past depth 32', () => {
    const deepParent = ref(Array.from({ length: 30 }, (_, i) => 100 + i)); // depth 29
    expect(codeOf(() => checkMove(ref([1]), deepParent, 2))).toBeUndefined(); // reaches 32
    expect(codeOf(() => checkMove(ref([1]), deepParent, 3))).toBe('FOLDER_TOO_DEEP');
  });

  it('refuses changing a system folder', () => {
    expect(codeOf(() => refuseSystemFolder(ref([1], 'inbox'), 'moved', 'parentId'))).toBe(
      'FOLDER_SYSTEM',
    );
    expect(codeOf(() => refuseSystemFolder(ref([1]), 'moved', 'parentId'))).toBeUndefined();
  });

  it('names what a folder still holds', () => {
    expect(describeContents({ subfolders: false, documents: false, mails: false })).toBeUndefined();
    expect(describeContents({ subfolders: true, documents: false, mails: true })).toBe(
      'subfolders and mails',
    );
    expect(describeContents({ subfolders: true, documents: true, mails: true })).toBe(
      'subfolders, documents and mails',
    );
  });
});
