import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.service';

export interface Credentials {
  id: number;
  organizationId: number | null;
  passwordHash: string;
  isPlatformAdmin: boolean;
  isOrgAdmin: boolean;
  isActive: boolean;
  organizationActive: boolean;
  credentialVersion: number;
}

@Injectable()
export class AuthRepository {
  constructor(private readonly db: Db) {}

  async findByEmail(email: string): Promise<Credentials | undefined> {
    const rows = await this.db.query<Omit<Credentials, 'credentialVersion'> & { cv: string }>(
      `SELECT u.id, u.organization_id AS "organizationId", u.password_hash AS "passwordHash",
              u.is_platform_admin AS "isPlatformAdmin", u.is_org_admin AS "isOrgAdmin",
              u.is_active AS "isActive", COALESCE(o.is_active, true) AS "organizationActive",
              u.credential_version AS cv
       FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
       WHERE u.email = $1`,
      [email],
    );
    if (rows.length === 0) return undefined;
    // bigint arrives as text; stamps stay below 2^53.
    const { cv, ...row } = rows[0];
    return { ...row, credentialVersion: Number(cv) };
  }

  async recordLogin(userId: number): Promise<void> {
    await this.db.query('UPDATE users SET last_login_on = now() WHERE id = $1', [userId]);
  }
}
