import { DialectMigration } from './dialect-migration';

/**
 * 红黄蓝 SLA tiers (brief §9): each errand stores its tier and due time, backfilled here by the
 * default rule (urgent, vulnerable or medicine → red 2 h; water, grain and oil, vegetables →
 * yellow 24 h; the rest → blue 72 h; later errands take the hours from config); open red errands
 * get their sla_due deadline; the status counts are rebuilt per status and tier; indexes for the
 * queue under one tier, the history newest first, the name search, and a household's errands
 * by status and time (covering the search by name, phone or door).
 */
export class Migration20261129140000_sla extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        "alter table `deadlines` modify `kind` enum('round_end', 'dispatch_retry', 'auto_confirm', 'sla_due') not null;",
        "alter table `errands` add `sla_tier` enum('red', 'yellow', 'blue') not null default 'blue', add `due_at` bigint not null default 0;",
        "alter table `errand_status_counts` add `sla_tier` enum('red', 'yellow', 'blue') not null default 'blue';",
        "update `errands` set `sla_tier` = case when `urgency` = 'urgent' or `vulnerable` or `category` = 'medicine' then 'red' when `category` in ('water', 'grain_oil', 'vegetables') then 'yellow' else 'blue' end;",
        "update `errands` set `due_at` = `created_at` + case `sla_tier` when 'red' then 7200000 when 'yellow' then 86400000 else 259200000 end;",
        'delete from `errand_status_counts`;',
        'insert into `errand_status_counts` (`community_id`, `status`, `sla_tier`, `delta`) select `community_id`, `status`, `sla_tier`, count(*) from `errands` group by `community_id`, `status`, `sla_tier`;',
        "insert into `deadlines` (`kind`, `errand_id`, `community_id`, `round`, `priority`, `due_at`, `created_at`) select 'sla_due', `id`, `community_id`, 0, 1000 - `queue_rank`, `due_at`, `created_at` from `errands` where `sla_tier` = 'red' and `status` in ('pending', 'offered', 'accepted', 'in_progress', 'escalated');",
        'alter table `errands` add index `errands_sla_queue_index`(`community_id`, `sla_tier`, `status`, `queue_rank`, `created_at`, `id`);',
        'alter table `errands` add index `errands_history_index`(`community_id`, `status`, `created_at`, `id`);',
        'alter table `households` add index `households_community_contact_index`(`community_id`, `contact_name`);',
        'alter table `errands` add index `errands_household_history_index`(`household_id`, `status`, `created_at`, `id`);',
        'alter table `errands` drop index `errands_household_id_index`;',
      ],
      sqlite: [
        "create table `deadlines__temp_alter` (`id` integer not null primary key autoincrement, `kind` text check (`kind` in ('round_end', 'dispatch_retry', 'auto_confirm', 'sla_due')) not null, `errand_id` bigint not null, `community_id` integer not null, `round` integer not null, `priority` integer not null, `due_at` bigint not null, `created_at` bigint not null);",
        'insert into `deadlines__temp_alter` select `id`, `kind`, `errand_id`, `community_id`, `round`, `priority`, `due_at`, `created_at` from `deadlines`;',
        "delete from sqlite_sequence where name = 'deadlines__temp_alter';",
        "insert into sqlite_sequence (name, seq) select 'deadlines__temp_alter', seq from sqlite_sequence where name = 'deadlines';",
        'drop table `deadlines`;',
        'alter table `deadlines__temp_alter` rename to `deadlines`;',
        'create index `deadlines_due_at_index` on `deadlines` (`due_at`);',
        'create unique index `deadlines_errand_id_kind_round_unique` on `deadlines` (`errand_id`, `kind`, `round`);',
        "alter table `errands` add column `sla_tier` text check (`sla_tier` in ('red', 'yellow', 'blue')) not null default 'blue';",
        'alter table `errands` add column `due_at` bigint not null default 0;',
        "alter table `errand_status_counts` add column `sla_tier` text check (`sla_tier` in ('red', 'yellow', 'blue')) not null default 'blue';",
        "update `errands` set `sla_tier` = case when `urgency` = 'urgent' or `vulnerable` or `category` = 'medicine' then 'red' when `category` in ('water', 'grain_oil', 'vegetables') then 'yellow' else 'blue' end;",
        "update `errands` set `due_at` = `created_at` + case `sla_tier` when 'red' then 7200000 when 'yellow' then 86400000 else 259200000 end;",
        'delete from `errand_status_counts`;',
        'insert into `errand_status_counts` (`community_id`, `status`, `sla_tier`, `delta`) select `community_id`, `status`, `sla_tier`, count(*) from `errands` group by `community_id`, `status`, `sla_tier`;',
        "insert into `deadlines` (`kind`, `errand_id`, `community_id`, `round`, `priority`, `due_at`, `created_at`) select 'sla_due', `id`, `community_id`, 0, 1000 - `queue_rank`, `due_at`, `created_at` from `errands` where `sla_tier` = 'red' and `status` in ('pending', 'offered', 'accepted', 'in_progress', 'escalated');",
        'create index `errands_sla_queue_index` on `errands` (`community_id`, `sla_tier`, `status`, `queue_rank`, `created_at`, `id`);',
        'create index `errands_history_index` on `errands` (`community_id`, `status`, `created_at`, `id`);',
        'create index `households_community_contact_index` on `households` (`community_id`, `contact_name`);',
        'drop index `errands_household_id_index`;',
        'create index `errands_household_history_index` on `errands` (`household_id`, `status`, `created_at`, `id`);',
      ],
    });
  }
}
