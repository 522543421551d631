import { DialectMigration } from './dialect-migration';

// Existing communities name their street and district in text; those names become the first rows
// of the new tables, and each community points at its street (and, copied, its district).
const BACKFILL = [
  'insert into `districts` (`name`, `created_at`) select distinct `district`, 0 from `communities`;',
  'insert into `streets` (`district_id`, `name`, `created_at`) select distinct d.`id`, c.`street`, 0 from `communities` c join `districts` d on d.`name` = c.`district`;',
  'update `communities` set `district_id` = (select d.`id` from `districts` d where d.`name` = `communities`.`district`);',
  'update `communities` set `street_id` = (select s.`id` from `streets` s where s.`district_id` = `communities`.`district_id` and s.`name` = `communities`.`street`);',
];

/**
 * Levels of administration (district → street → community) with street and district staff who
 * oversee them, and the audit log of staff actions.
 */
export class Migration20261129100000_levels_audit extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'create table `audit_log` (`id` bigint unsigned not null auto_increment primary key, `community_id` int not null, `actor_user_id` int not null, `actor_role` varchar(20) not null, `action` varchar(40) not null, `target_type` varchar(20) not null, `target_id` varchar(40) not null, `reason` varchar(200) null, `before_json` text null, `after_json` text null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;',
        'alter table `audit_log` add index `audit_log_community_id_created_at_id_index`(`community_id`, `created_at`, `id`);',
        'create table `districts` (`id` int unsigned not null auto_increment primary key, `name` varchar(50) not null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;',
        'alter table `districts` add unique `districts_name_unique`(`name`);',
        'create table `streets` (`id` int unsigned not null auto_increment primary key, `district_id` int not null, `name` varchar(50) not null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;',
        'alter table `streets` add unique `streets_district_id_name_unique`(`district_id`, `name`);',
        'alter table `communities` add `street_id` int null, add `district_id` int null;',
        'alter table `communities` add index `communities_street_id_index`(`street_id`);',
        'alter table `communities` add index `communities_district_id_index`(`district_id`);',
        "alter table `users` add `staff_level` enum('street', 'district') null, add `staff_scope_id` int null;",
        ...BACKFILL,
      ],
      sqlite: [
        'create table `audit_log` (`id` integer not null primary key autoincrement, `community_id` integer not null, `actor_user_id` integer not null, `actor_role` text not null, `action` text not null, `target_type` text not null, `target_id` text not null, `reason` text null, `before_json` text null, `after_json` text null, `created_at` bigint not null);',
        'create index `audit_log_community_id_created_at_id_index` on `audit_log` (`community_id`, `created_at`, `id`);',
        'create table `districts` (`id` integer not null primary key autoincrement, `name` text not null, `created_at` bigint not null);',
        'create unique index `districts_name_unique` on `districts` (`name`);',
        'create table `streets` (`id` integer not null primary key autoincrement, `district_id` integer not null, `name` text not null, `created_at` bigint not null);',
        'create unique index `streets_district_id_name_unique` on `streets` (`district_id`, `name`);',
        'alter table `communities` add column `street_id` integer null;',
        'alter table `communities` add column `district_id` integer null;',
        'create index `communities_street_id_index` on `communities` (`street_id`);',
        'create index `communities_district_id_index` on `communities` (`district_id`);',
        "alter table `users` add column `staff_level` text check (`staff_level` in ('street', 'district')) null;",
        'alter table `users` add column `staff_scope_id` integer null;',
        ...BACKFILL,
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `users` drop column `staff_level`, drop column `staff_scope_id`;',
        'alter table `communities` drop index `communities_street_id_index`, drop index `communities_district_id_index`;',
        'alter table `communities` drop column `street_id`, drop column `district_id`;',
        'drop table if exists `streets`;',
        'drop table if exists `districts`;',
        'drop table if exists `audit_log`;',
      ],
      sqlite: [
        'alter table `users` drop column `staff_level`;',
        'alter table `users` drop column `staff_scope_id`;',
        'drop index if exists `communities_street_id_index`;',
        'drop index if exists `communities_district_id_index`;',
        'alter table `communities` drop column `street_id`;',
        'alter table `communities` drop column `district_id`;',
        'drop table if exists `streets`;',
        'drop table if exists `districts`;',
        'drop table if exists `audit_log`;',
      ],
    });
  }
}
