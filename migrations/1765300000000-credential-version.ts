import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users.credential_version: a stamp (next_stamp) every token carries as `cv`,
 * moved on in the same transaction as a password change, a change of the
 * user's roles or organization-admin flag, and a (de)activation. A token whose
 * stamp is not the account's is refused: those changes revoke every token
 * issued before them. A stamp, not a counter, so that a re-created database
 * never gives a new account the stamp of an old token under the same id.
 */
export class CredentialVersion1765300000000 implements MigrationInterface {
  name = 'CredentialVersion1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE users ADD COLUMN credential_version bigint NOT NULL DEFAULT next_stamp(0)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN credential_version');
  }
}
