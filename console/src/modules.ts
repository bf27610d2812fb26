import type { ListPath } from './api';
import type { Schemas } from '../../client';

/** A console grid page: a module's list route and the fields its PATCH takes inline. */
export interface ModuleView {
  slug: string;
  title: string;
  path: ListPath;
  /** The /api/me tab that opens it. */
  tab: string;
  /** Columns edited in the grid, each a field of the module's update DTO. */
  editable: readonly string[];
}

type Fields<T> = readonly Exclude<keyof T & string, 'version'>[];
const fields = <T>(keys: Fields<T>): readonly string[] => keys;

export const MODULES: readonly ModuleView[] = [
  {
    slug: 'documents',
    title: 'Documents',
    path: '/api/documents',
    tab: 'document',
    editable: fields<Schemas['UpdateDocumentDto']>(['title', 'status']),
  },
  {
    slug: 'mails',
    title: 'Mail',
    path: '/api/mails',
    tab: 'mail',
    editable: fields<Schemas['UpdateMailDto']>(['subject', 'sender', 'priority']),
  },
  {
    slug: 'folders',
    title: 'Folders',
    path: '/api/folders',
    tab: 'folder',
    editable: fields<Schemas['UpdateFolderDto']>(['name']),
  },
  {
    slug: 'document-types',
    title: 'Document types',
    path: '/api/document-types',
    tab: 'document_type',
    editable: fields<Schemas['UpdateDocumentTypeDto']>(['name']),
  },
  { slug: 'batches', title: 'Batches', path: '/api/batches', tab: 'batch', editable: [] },
  {
    slug: 'users',
    title: 'Users',
    path: '/api/users',
    tab: 'user',
    editable: [],
  },
  {
    slug: 'organizations',
    title: 'Organizations',
    path: '/api/organizations',
    tab: 'organization',
    editable: fields<Schemas['UpdateOrganizationDto']>(['name']),
  },
  { slug: 'audit', title: 'Audit', path: '/api/audit', tab: 'audit', editable: [] },
];
