import { DialectMigration } from './dialect-migration';

/**
 * Every community gets a duty phone; errands get privacy-number bindings (one live binding per
 * errand, enforced by the unique `live_key`); contact details typed in for an existing household
 * become change requests for staff instead of overwriting the registry.
 */
export class Migration20261129030000_neighbour_contact extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `communities` add `duty_phone` varchar(20) null;',
        'create table `privacy_bindings` (`id` bigint unsigned not null auto_increment primary key, `errand_id` bigint not null, `community_id` int not null, `helper_id` int not null, `live_key` bigint null, `binding_id` varchar(64) null, `middle_number` varchar(20) null, `created_at` bigint not null, `expires_at` bigint not null, `unbound_at` bigint null, `unbind_attempts` int not null default 0, `next_attempt_at` bigint not null default 0) default character set utf8mb4 engine = InnoDB;',
        'alter table `privacy_bindings` add unique `privacy_bindings_live_key_unique`(`live_key`);',
        'alter table `privacy_bindings` add index `privacy_bindings_errand_id_index`(`errand_id`);',
        'alter table `privacy_bindings` add index `privacy_bindings_unbound_at_next_attempt_at_index`(`unbound_at`, `next_attempt_at`);',
        "create table `household_change_requests` (`id` int unsigned not null auto_increment primary key, `community_id` int not null, `household_id` int not null, `requested_by` int not null, `contact_name` varchar(20) not null, `phone` varchar(20) not null, `status` enum('pending', 'approved', 'rejected') not null default 'pending', `created_at` bigint not null, `decided_at` bigint null, `decided_by` int null) default character set utf8mb4 engine = InnoDB;",
        'alter table `household_change_requests` add index `household_change_requests_community_id_status_index`(`community_id`, `status`);',
      ],
      sqlite: [
        'alter table `communities` add column `duty_phone` text null;',
        'create table `privacy_bindings` (`id` integer not null primary key autoincrement, `errand_id` bigint not null, `community_id` integer not null, `helper_id` integer not null, `live_key` bigint null, `binding_id` text null, `middle_number` text null, `created_at` bigint not null, `expires_at` bigint not null, `unbound_at` bigint null, `unbind_attempts` integer not null default 0, `next_attempt_at` bigint not null default 0);',
        'create index `privacy_bindings_errand_id_index` on `privacy_bindings` (`errand_id`);',
        'create unique index `privacy_bindings_live_key_unique` on `privacy_bindings` (`live_key`);',
        'create index `privacy_bindings_unbound_at_next_attempt_at_index` on `privacy_bindings` (`unbound_at`, `next_attempt_at`);',
        "create table `household_change_requests` (`id` integer not null primary key autoincrement, `community_id` integer not null, `household_id` integer not null, `requested_by` integer not null, `contact_name` text not null, `phone` text not null, `status` text check (`status` in ('pending', 'approved', 'rejected')) not null default 'pending', `created_at` bigint not null, `decided_at` bigint null, `decided_by` integer null);",
        'create index `household_change_requests_community_id_status_index` on `household_change_requests` (`community_id`, `status`);',
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: [
        'drop table if exists `household_change_requests`;',
        'drop table if exists `privacy_bindings`;',
        'alter table `communities` drop column `duty_phone`;',
      ],
      sqlite: [
        'drop table if exists `household_change_requests`;',
        'drop table if exists `privacy_bindings`;',
        'alter table `communities` drop column `duty_phone`;',
      ],
    });
  }
}
