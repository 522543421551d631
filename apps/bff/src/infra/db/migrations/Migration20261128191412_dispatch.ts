import { DialectMigration } from './dialect-migration';

/** The dispatch engine: deadlines, dispatch attempts, duty time and the SQL geo search index. */
export class Migration20261128191412_dispatch extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        "create table `deadlines` (`id` bigint unsigned not null auto_increment primary key, `kind` enum('round_end', 'dispatch_retry', 'auto_confirm') not null, `errand_id` bigint not null, `community_id` int not null, `round` int not null, `priority` int not null, `due_at` bigint not null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
        'alter table `deadlines` add index `deadlines_due_at_index`(`due_at`);',
        'alter table `deadlines` add unique `deadlines_errand_id_kind_round_unique`(`errand_id`, `kind`, `round`);',
        'alter table `errands` add `attempt_start_round` int not null default 1;',
        'alter table `errands` add index `errands_helper_id_accepted_at_index`(`helper_id`, `accepted_at`);',
        'alter table `helpers` add `on_duty_since` bigint null, add `duty_day` int not null default 0, add `duty_minutes_day` int not null default 0;',
        'alter table `helpers` add index `helpers_community_id_on_duty_lat_lng_index`(`community_id`, `on_duty`, `lat`, `lng`);',
      ],
      sqlite: [
        "create table `deadlines` (`id` integer not null primary key autoincrement, `kind` text check (`kind` in ('round_end', 'dispatch_retry', 'auto_confirm')) not null, `errand_id` bigint not null, `community_id` integer not null, `round` integer not null, `priority` integer not null, `due_at` bigint not null, `created_at` bigint not null);",
        'create index `deadlines_due_at_index` on `deadlines` (`due_at`);',
        'create unique index `deadlines_errand_id_kind_round_unique` on `deadlines` (`errand_id`, `kind`, `round`);',
        'alter table `errands` add column `attempt_start_round` integer not null default 1;',
        'create index `errands_helper_id_accepted_at_index` on `errands` (`helper_id`, `accepted_at`);',
        'alter table `helpers` add column `on_duty_since` bigint null;',
        'alter table `helpers` add column `duty_day` integer not null default 0;',
        'alter table `helpers` add column `duty_minutes_day` integer not null default 0;',
        'create index `helpers_community_id_on_duty_lat_lng_index` on `helpers` (`community_id`, `on_duty`, `lat`, `lng`);',
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: [
        'drop table if exists `deadlines`;',
        'alter table `errands` drop index `errands_helper_id_accepted_at_index`;',
        'alter table `errands` drop column `attempt_start_round`;',
        'alter table `helpers` drop index `helpers_community_id_on_duty_lat_lng_index`;',
        'alter table `helpers` drop column `on_duty_since`, drop column `duty_day`, drop column `duty_minutes_day`;',
      ],
      sqlite: [
        'drop table if exists `deadlines`;',
        'drop index `errands_helper_id_accepted_at_index`;',
        'alter table `errands` drop column `attempt_start_round`;',
        'drop index `helpers_community_id_on_duty_lat_lng_index`;',
        'alter table `helpers` drop column `on_duty_since`;',
        'alter table `helpers` drop column `duty_day`;',
        'alter table `helpers` drop column `duty_minutes_day`;',
      ],
    });
  }
}
