import { Migration } from '@mikro-orm/migrations';

/** The dispatch engine: deadlines, dispatch attempts, duty time and the SQL geo search index. */
export class Migration20261128191412_dispatch extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `deadlines` (`id` bigint unsigned not null auto_increment primary key, `kind` enum('round_end', 'dispatch_retry', 'auto_confirm') not null, `errand_id` bigint not null, `community_id` int not null, `round` int not null, `priority` int not null, `due_at` bigint not null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `deadlines` add index `deadlines_due_at_index`(`due_at`);');
    this.addSql('alter table `deadlines` add unique `deadlines_errand_id_kind_round_unique`(`errand_id`, `kind`, `round`);');
    this.addSql('alter table `errands` add `attempt_start_round` int not null default 1;');
    this.addSql('alter table `errands` add index `errands_helper_id_accepted_at_index`(`helper_id`, `accepted_at`);');
    this.addSql(
      'alter table `helpers` add `on_duty_since` bigint null, add `duty_day` int not null default 0, add `duty_minutes_day` int not null default 0;',
    );
    this.addSql('alter table `helpers` add index `helpers_community_id_on_duty_lat_lng_index`(`community_id`, `on_duty`, `lat`, `lng`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `deadlines`;');
    this.addSql('alter table `errands` drop index `errands_helper_id_accepted_at_index`;');
    this.addSql('alter table `errands` drop column `attempt_start_round`;');
    this.addSql('alter table `helpers` drop index `helpers_community_id_on_duty_lat_lng_index`;');
    this.addSql('alter table `helpers` drop column `on_duty_since`, drop column `duty_day`, drop column `duty_minutes_day`;');
  }
}
