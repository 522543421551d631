import { Migration } from '@mikro-orm/migrations';

/** WeChat subscribe messages to send, and the access token every instance shares. */
export class Migration20261128223000_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `notifications` (`id` bigint unsigned not null auto_increment primary key, `event_seq` bigint not null, `kind` enum('offer_created', 'errand_accepted', 'errand_delivered') not null, `community_id` int not null, `user_id` int not null, `openid` varchar(64) not null, `errand_id` bigint not null, `template_id` varchar(128) not null, `page` varchar(200) not null, `data_json` text not null, `status` enum('pending', 'sent', 'refused', 'failed', 'obsolete') not null, `attempts` int not null default 0, `next_attempt_at` bigint not null, `last_error` varchar(200) null, `created_at` bigint not null, `sent_at` bigint null) default character set utf8mb4 engine = InnoDB;",
    );
    this.addSql('alter table `notifications` add unique `notifications_event_seq_unique`(`event_seq`);');
    this.addSql('alter table `notifications` add index `notifications_status_next_attempt_at_index`(`status`, `next_attempt_at`);');
    this.addSql('alter table `notifications` add index `notifications_errand_id_index`(`errand_id`);');
    this.addSql(
      'create table `wechat_access_tokens` (`app_id` varchar(64) not null, `access_token` varchar(512) not null, `expires_at` bigint not null, `refreshed_at` bigint not null, primary key (`app_id`)) default character set utf8mb4 engine = InnoDB;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `notifications`;');
    this.addSql('drop table if exists `wechat_access_tokens`;');
  }
}
