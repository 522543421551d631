import { DialectMigration } from './dialect-migration';

/**
 * `users.roles` holds every role a user has, comma-separated; with street and district staff all
 * five take 49 characters, more than the 40 it had (MySQL refused the login that added the fifth).
 * SQLite's text has no length: nothing to do there.
 */
export class Migration20261129100100_roles_length extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({ mysql: ['alter table `users` modify `roles` varchar(60) not null;'], sqlite: [] });
  }

  override async down(): Promise<void> {
    this.ddl({ mysql: ['alter table `users` modify `roles` varchar(40) not null;'], sqlite: [] });
  }
}
