import { DialectMigration } from './dialect-migration';

/**
 * Notification planning leaves the relay's numbering transaction and follows the numbered events
 * with a position of its own. Until now every numbered event was planned as it was numbered, so
 * the position starts where the sequence stands.
 */
export class Migration20261130030000_notification_cursor extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'create table `notification_cursor` (`id` int unsigned not null auto_increment primary key, `planned_through` bigint not null) default character set utf8mb4 engine = InnoDB;',
        'insert into `notification_cursor` (`id`, `planned_through`) select 1, coalesce(max(`last_seq`), 0) from `event_sequence`;',
      ],
      sqlite: [
        'create table `notification_cursor` (`id` integer not null primary key autoincrement, `planned_through` bigint not null);',
        'insert into `notification_cursor` (`id`, `planned_through`) select 1, coalesce(max(`last_seq`), 0) from `event_sequence`;',
      ],
    });
  }
}
