import { DialectMigration } from './dialect-migration';

/**
 * The staff queue served by an index instead of sorting 500 rows in memory: each errand stores
 * its rank (1000 − need score, as queueRank computes it today), and the number of errands per
 * community and status is kept as deltas, seeded here from the errands that exist.
 */
export class Migration20261129020000_staff_queue extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        'alter table `errands` add `queue_rank` int not null default 1000;',
        `update \`errands\` e join \`compounds\` cp on cp.id = e.compound_id
          set e.queue_rank = 1000 - ((case when e.urgency = 'urgent' then 300 else 0 end) + (case when e.vulnerable then 200 else 0 end)
            + (case cp.lockdown when 'closed' then 150 when 'controlled' then 50 else 0 end));`,
        'alter table `errands` add index `errands_staff_queue_index`(`community_id`, `status`, `queue_rank`, `created_at`, `id`);',
        'alter table `errands` drop index `errands_community_id_status_index`;',
        "create table `errand_status_counts` (`id` bigint unsigned not null auto_increment primary key, `community_id` int not null, `status` enum('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled') not null, `delta` int not null) default character set utf8mb4 engine = InnoDB;",
        'alter table `errand_status_counts` add index `errand_status_counts_community_id_status_index`(`community_id`, `status`);',
        'insert into `errand_status_counts` (`community_id`, `status`, `delta`) select `community_id`, `status`, count(*) from `errands` group by `community_id`, `status`;',
      ],
      sqlite: [
        'alter table `errands` add column `queue_rank` integer not null default 1000;',
        `update \`errands\` set \`queue_rank\` = 1000 - ((case when \`urgency\` = 'urgent' then 300 else 0 end) + (case when \`vulnerable\` then 200 else 0 end)
          + coalesce((select case cp.\`lockdown\` when 'closed' then 150 when 'controlled' then 50 else 0 end from \`compounds\` cp where cp.\`id\` = \`errands\`.\`compound_id\`), 0));`,
        'drop index `errands_community_id_status_index`;',
        'create index `errands_staff_queue_index` on `errands` (`community_id`, `status`, `queue_rank`, `created_at`, `id`);',
        "create table `errand_status_counts` (`id` integer not null primary key autoincrement, `community_id` integer not null, `status` text check (`status` in ('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled')) not null, `delta` integer not null);",
        'create index `errand_status_counts_community_id_status_index` on `errand_status_counts` (`community_id`, `status`);',
        'insert into `errand_status_counts` (`community_id`, `status`, `delta`) select `community_id`, `status`, count(*) from `errands` group by `community_id`, `status`;',
      ],
    });
  }

  override async down(): Promise<void> {
    this.ddl({
      mysql: [
        'drop table if exists `errand_status_counts`;',
        'alter table `errands` add index `errands_community_id_status_index`(`community_id`, `status`);',
        'alter table `errands` drop index `errands_staff_queue_index`;',
        'alter table `errands` drop column `queue_rank`;',
      ],
      sqlite: [
        'drop table if exists `errand_status_counts`;',
        'create index `errands_community_id_status_index` on `errands` (`community_id`, `status`);',
        'drop index `errands_staff_queue_index`;',
        'alter table `errands` drop column `queue_rank`;',
      ],
    });
  }
}
