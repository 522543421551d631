import { Migration } from '@mikro-orm/migrations';

/**
 * The staff queue served by an index instead of sorting 500 rows in memory: each errand stores
 * its rank (1000 − need score, as queueRank computes it today), and the number of errands per
 * community and status is kept as deltas, seeded here from the errands that exist.
 */
export class Migration20261129020000_staff_queue extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `errands` add `queue_rank` int not null default 1000;');
    this.addSql(`update \`errands\` e join \`compounds\` cp on cp.id = e.compound_id
      set e.queue_rank = 1000 - ((case when e.urgency = 'urgent' then 300 else 0 end) + (case when e.vulnerable then 200 else 0 end)
        + (case cp.lockdown when 'closed' then 150 when 'controlled' then 50 else 0 end));`);
    this.addSql(
      'alter table `errands` add index `errands_staff_queue_index`(`community_id`, `status`, `queue_rank`, `created_at`, `id`);',
    );
    this.addSql('alter table `errands` drop index `errands_community_id_status_index`;');
    this.addSql(
      "create table `errand_status_counts` (`id` bigint unsigned not null auto_increment primary key, `community_id` int not null, `status` enum('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled') not null, `delta` int not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql(
      'alter table `errand_status_counts` add index `errand_status_counts_community_id_status_index`(`community_id`, `status`);',
    );
    this.addSql(
      'insert into `errand_status_counts` (`community_id`, `status`, `delta`) select `community_id`, `status`, count(*) from `errands` group by `community_id`, `status`;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `errand_status_counts`;');
    this.addSql('alter table `errands` add index `errands_community_id_status_index`(`community_id`, `status`);');
    this.addSql('alter table `errands` drop index `errands_staff_queue_index`;');
    this.addSql('alter table `errands` drop column `queue_rank`;');
  }
}
