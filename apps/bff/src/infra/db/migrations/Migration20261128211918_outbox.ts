import { Migration } from '@mikro-orm/migrations';

/** The transactional outbox of live events and the sequence relays hand out. */
export class Migration20261128211918_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `event_sequence` (`id` int unsigned not null auto_increment primary key, `last_seq` bigint not null, `pruned_through` bigint not null default 0) default character set utf8mb4 engine = InnoDB;',
    );
    this.addSql(
      "create table `outbox_events` (`id` bigint unsigned not null auto_increment primary key, `seq` bigint null, `type` enum('errand.updated', 'offer.created', 'offer.withdrawn', 'queue.changed') not null, `community_id` int not null, `errand_id` bigint null, `errand_public_id` varchar(22) null, `status` enum('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled') null, `household_id` int null, `user_id` int null, `helper_id` int null, `staff_community_id` int null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `outbox_events` add unique `outbox_events_seq_unique`(`seq`);');
    this.addSql('alter table `outbox_events` add index `outbox_events_created_at_index`(`created_at`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `event_sequence`;');
    this.addSql('drop table if exists `outbox_events`;');
  }
}
