import { DialectMigration } from './dialect-migration';

/** The transactional outbox of live events and the sequence relays hand out. */
export class Migration20261128211918_outbox extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'create table `event_sequence` (`id` int unsigned not null auto_increment primary key, `last_seq` bigint not null, `pruned_through` bigint not null default 0) default character set utf8mb4 engine = InnoDB;',
        "create table `outbox_events` (`id` bigint unsigned not null auto_increment primary key, `seq` bigint null, `type` enum('errand.updated', 'offer.created', 'offer.withdrawn', 'queue.changed') not null, `community_id` int not null, `errand_id` bigint null, `errand_public_id` varchar(22) null, `status` enum('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled') null, `household_id` int null, `user_id` int null, `helper_id` int null, `staff_community_id` int null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
        'alter table `outbox_events` add unique `outbox_events_seq_unique`(`seq`);',
        'alter table `outbox_events` add index `outbox_events_created_at_index`(`created_at`);',
      ],
      sqlite: [
        'create table `event_sequence` (`id` integer not null primary key autoincrement, `last_seq` bigint not null, `pruned_through` bigint not null default 0);',
        "create table `outbox_events` (`id` integer not null primary key autoincrement, `seq` bigint null, `type` text check (`type` in ('errand.updated', 'offer.created', 'offer.withdrawn', 'queue.changed')) not null, `community_id` integer not null, `errand_id` bigint null, `errand_public_id` text null, `status` text check (`status` in ('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled')) null, `household_id` integer null, `user_id` integer null, `helper_id` integer null, `staff_community_id` integer null, `created_at` bigint not null);",
        'create unique index `outbox_events_seq_unique` on `outbox_events` (`seq`);',
        'create index `outbox_events_created_at_index` on `outbox_events` (`created_at`);',
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: ['drop table if exists `event_sequence`;', 'drop table if exists `outbox_events`;'],
      sqlite: ['drop table if exists `event_sequence`;', 'drop table if exists `outbox_events`;'],
    });
  }
}
