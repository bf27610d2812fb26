import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';

export interface FolderRef {
  id: number;
  organizationId: number;
  path: number[];
  systemKey: string | null;
}

@Injectable()
export class FolderRepository {
  constructor(private readonly db: Db) {}

  async findRef(
    id: number,
    organizationId: number | null,
    q: Queryable = this.db,
  ): Promise<FolderRef | undefined> {
    const rows = await q.query<FolderRef>(
      `SELECT id, organization_id AS "organizationId", path, system_key AS "systemKey"
       FROM folders WHERE id = $1 AND ($2::bigint IS NULL OR organization_id = $2)`,
      [id, organizationId],
    );
    return rows[0];
  }
}
