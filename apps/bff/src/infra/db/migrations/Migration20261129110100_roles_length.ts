import { DialectMigration } from './dialect-migration';

/**
 * Room for every role at once: "resident,helper,staff,street_staff,district_staff" is 50
 * characters, and a dev login adding the last of them failed on MySQL (SQLite text has no limit).
 */
export class Migration20261129110100_roles_length extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({ mysql: ['alter table `users` modify `roles` varchar(80) not null;'], sqlite: [] });
  }
}
