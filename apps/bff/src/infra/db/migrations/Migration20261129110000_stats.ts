import { backfillStatements } from '../../../modules/stats/backfill';
import { DialectMigration } from './dialect-migration';

/**
 * Daily roll-ups for statistics and the service-hours ledger (modules/stats), built from the
 * existing errands so an upgraded database has statistics for its history.
 */
export class Migration20261129110000_stats extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        "create table `stats_category_daily` (`community_id` int unsigned not null, `day` int unsigned not null, `category` enum('water', 'grain_oil', 'vegetables', 'medicine', 'parcel', 'other') not null, `slot` int unsigned not null, `created` int not null default 0, `delivered` int not null default 0, `delivered_within_tier` int not null default 0, `completed` int not null default 0, `cancelled` int not null default 0, `escalated` int not null default 0, primary key (`community_id`, `day`, `category`, `slot`)) default character set utf8mb4 engine = InnoDB;",
        'create table `stats_compound_daily` (`community_id` int unsigned not null, `day` int unsigned not null, `compound_id` int unsigned not null, `created` int not null default 0, `delivered` int not null default 0, `delivered_within_tier` int not null default 0, `completed` int not null default 0, `cancelled` int not null default 0, `escalated` int not null default 0, primary key (`community_id`, `day`, `compound_id`)) default character set utf8mb4 engine = InnoDB;',
        'create table `stats_helper_daily` (`community_id` int unsigned not null, `day` int unsigned not null, `helper_id` int unsigned not null, `delivered` int not null default 0, `deliver_ms_sum` bigint not null default 0, `thanks` int not null default 0, `stars_sum` int not null default 0, `on_duty_ms` bigint not null default 0, primary key (`community_id`, `day`, `helper_id`)) default character set utf8mb4 engine = InnoDB;',
        'create table `stats_household_days` (`community_id` int unsigned not null, `day_window` int unsigned not null, `household_id` int unsigned not null, `days` bigint not null default 0, `vulnerable_days` bigint not null default 0, primary key (`community_id`, `day_window`, `household_id`)) default character set utf8mb4 engine = InnoDB;',
        "create table `stats_latency_daily` (`community_id` int unsigned not null, `metric` enum('accept', 'deliver', 'helper_deliver') not null, `day` int unsigned not null, `helper_id` int unsigned not null, `bucket` int unsigned not null, `n` int not null default 0, primary key (`community_id`, `metric`, `day`, `helper_id`, `bucket`)) default character set utf8mb4 engine = InnoDB;",
        ...backfillStatements('mysql'),
      ],
      sqlite: [
        "create table `stats_category_daily` (`community_id` integer not null, `day` integer not null, `category` text check (`category` in ('water', 'grain_oil', 'vegetables', 'medicine', 'parcel', 'other')) not null, `slot` integer not null, `created` integer not null default 0, `delivered` integer not null default 0, `delivered_within_tier` integer not null default 0, `completed` integer not null default 0, `cancelled` integer not null default 0, `escalated` integer not null default 0, primary key (`community_id`, `day`, `category`, `slot`));",
        'create table `stats_compound_daily` (`community_id` integer not null, `day` integer not null, `compound_id` integer not null, `created` integer not null default 0, `delivered` integer not null default 0, `delivered_within_tier` integer not null default 0, `completed` integer not null default 0, `cancelled` integer not null default 0, `escalated` integer not null default 0, primary key (`community_id`, `day`, `compound_id`));',
        'create table `stats_helper_daily` (`community_id` integer not null, `day` integer not null, `helper_id` integer not null, `delivered` integer not null default 0, `deliver_ms_sum` bigint not null default 0, `thanks` integer not null default 0, `stars_sum` integer not null default 0, `on_duty_ms` bigint not null default 0, primary key (`community_id`, `day`, `helper_id`));',
        'create table `stats_household_days` (`community_id` integer not null, `day_window` integer not null, `household_id` integer not null, `days` bigint not null default 0, `vulnerable_days` bigint not null default 0, primary key (`community_id`, `day_window`, `household_id`));',
        "create table `stats_latency_daily` (`community_id` integer not null, `metric` text check (`metric` in ('accept', 'deliver', 'helper_deliver')) not null, `day` integer not null, `helper_id` integer not null, `bucket` integer not null, `n` integer not null default 0, primary key (`community_id`, `metric`, `day`, `helper_id`, `bucket`));",
        ...backfillStatements('sqlite'),
      ],
    });
  }
}
