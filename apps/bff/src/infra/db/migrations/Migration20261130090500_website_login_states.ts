import { DialectMigration } from './dialect-migration';

/**
 * The desk console's QR login spends each signed state once (issue 12): where Redis does not keep
 * the spent states (embedded SQLite, MySQL without Redis), this table does, one row per state until
 * it has expired.
 */
export class Migration20261130090500_website_login_states extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'create table `website_login_states` (`nonce` varchar(32) collate utf8mb4_bin not null, `expires_at` bigint not null, primary key (`nonce`)) default character set utf8mb4 engine = InnoDB;',
        'alter table `website_login_states` add index `website_login_states_expires_at_index`(`expires_at`);',
      ],
      sqlite: [
        'create table `website_login_states` (`nonce` text not null, `expires_at` bigint not null, primary key (`nonce`));',
        'create index `website_login_states_expires_at_index` on `website_login_states` (`expires_at`);',
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({ mysql: ['drop table if exists `website_login_states`;'], sqlite: ['drop table if exists `website_login_states`;'] });
  }
}
