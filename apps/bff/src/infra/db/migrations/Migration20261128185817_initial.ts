import { Migration } from '@mikro-orm/migrations';

export class Migration20261128185817_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`buildings\` (\`id\` int unsigned not null auto_increment primary key, \`community_id\` int not null, \`compound_id\` int not null, \`name\` varchar(30) not null, \`floors\` int not null, \`has_lift\` tinyint(1) not null, \`lat\` double not null, \`lng\` double not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`buildings\` add index \`buildings_community_id_index\`(\`community_id\`);`);
    this.addSql(`alter table \`buildings\` add index \`buildings_compound_id_index\`(\`compound_id\`);`);

    this.addSql(`create table \`communities\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(50) not null, \`street\` varchar(50) not null, \`district\` varchar(50) not null, \`created_at\` bigint not null) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`compounds\` (\`id\` int unsigned not null auto_increment primary key, \`community_id\` int not null, \`name\` varchar(50) not null, \`lockdown\` enum('normal', 'controlled', 'closed') not null default 'normal', \`updated_at\` bigint not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`compounds\` add index \`compounds_community_id_index\`(\`community_id\`);`);

    this.addSql(`create table \`errands\` (\`id\` bigint unsigned not null auto_increment primary key, \`public_id\` varchar(22) not null, \`community_id\` int not null, \`compound_id\` int not null, \`building_id\` int not null, \`household_id\` int not null, \`requester_id\` int not null, \`on_behalf\` tinyint(1) not null default false, \`category\` enum('water', 'grain_oil', 'vegetables', 'medicine', 'parcel', 'other') not null, \`items_json\` text not null, \`heavy\` tinyint(1) not null, \`urgency\` enum('normal', 'urgent') not null, \`vulnerable\` tinyint(1) not null default false, \`window_start\` bigint null, \`window_end\` bigint null, \`notes\` varchar(200) null, \`status\` enum('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled') not null, \`helper_id\` int null, \`handover_code\` varchar(4) not null, \`dispatch_round\` int not null default 0, \`version\` int not null default 1, \`rating_stars\` int null, \`rating_comment\` varchar(200) null, \`created_at\` bigint not null, \`updated_at\` bigint not null, \`accepted_at\` bigint null, \`picked_up_at\` bigint null, \`delivered_at\` bigint null, \`completed_at\` bigint null, \`cancelled_at\` bigint null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`errands\` add unique \`errands_public_id_unique\`(\`public_id\`);`);
    this.addSql(`alter table \`errands\` add index \`errands_household_id_index\`(\`household_id\`);`);
    this.addSql(`alter table \`errands\` add index \`errands_requester_id_index\`(\`requester_id\`);`);
    this.addSql(`alter table \`errands\` add index \`errands_community_id_status_index\`(\`community_id\`, \`status\`);`);
    this.addSql(`alter table \`errands\` add index \`errands_helper_id_status_index\`(\`helper_id\`, \`status\`);`);

    this.addSql(`create table \`errand_events\` (\`id\` bigint unsigned not null auto_increment primary key, \`errand_id\` bigint not null, \`community_id\` int not null, \`actor_user_id\` int null, \`actor_role\` enum('resident', 'helper', 'staff', 'system') not null, \`from_status\` enum('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled') null, \`to_status\` enum('pending', 'offered', 'accepted', 'in_progress', 'delivered', 'completed', 'escalated', 'cancelled') not null, \`note\` varchar(200) null, \`created_at\` bigint not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`errand_events\` add index \`errand_events_errand_id_index\`(\`errand_id\`);`);

    this.addSql(`create table \`helpers\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int not null, \`community_id\` int not null, \`kind\` enum('household_head', 'volunteer') not null, \`verified\` tinyint(1) not null default false, \`on_duty\` tinyint(1) not null default false, \`capacity\` int not null default 2, \`can_carry_heavy\` tinyint(1) not null default false, \`home_building_id\` int null, \`lat\` double null, \`lng\` double null, \`position_at\` bigint null, \`rating_sum\` int not null default 0, \`rating_count\` int not null default 0, \`created_at\` bigint not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`helpers\` add unique \`helpers_user_id_unique\`(\`user_id\`);`);
    this.addSql(`alter table \`helpers\` add index \`helpers_community_id_index\`(\`community_id\`);`);

    this.addSql(`create table \`helper_zones\` (\`helper_id\` int unsigned not null, \`building_id\` int unsigned not null, \`community_id\` int not null, primary key (\`helper_id\`, \`building_id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`helper_zones\` add index \`helper_zones_building_id_index\`(\`building_id\`);`);

    this.addSql(`create table \`households\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int null, \`community_id\` int not null, \`building_id\` int not null, \`unit\` varchar(10) not null, \`floor\` int not null, \`room\` varchar(10) not null, \`contact_name\` varchar(20) not null, \`phone\` varchar(20) not null, \`elderly_alone\` tinyint(1) not null default false, \`disabled\` tinyint(1) not null default false, \`post_treatment\` tinyint(1) not null default false, \`created_at\` bigint not null, \`updated_at\` bigint not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`households\` add unique \`households_user_id_unique\`(\`user_id\`);`);
    this.addSql(`alter table \`households\` add index \`households_community_id_index\`(\`community_id\`);`);
    this.addSql(`alter table \`households\` add index \`households_building_id_index\`(\`building_id\`);`);

    this.addSql(`create table \`idempotency_keys\` (\`user_id\` int unsigned not null, \`idem_key\` varchar(100) not null, \`request_hash\` varchar(64) not null, \`status_code\` int not null, \`response_json\` text not null, \`created_at\` bigint not null, \`expires_at\` bigint not null, primary key (\`user_id\`, \`idem_key\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`idempotency_keys\` add index \`idempotency_keys_expires_at_index\`(\`expires_at\`);`);

    this.addSql(`create table \`offers\` (\`id\` bigint unsigned not null auto_increment primary key, \`errand_id\` bigint not null, \`helper_id\` int not null, \`community_id\` int not null, \`round\` int not null, \`status\` enum('open', 'accepted', 'declined', 'withdrawn', 'expired') not null, \`distance_m\` int null, \`created_at\` bigint not null, \`expires_at\` bigint not null, \`responded_at\` bigint null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`offers\` add index \`offers_helper_id_status_index\`(\`helper_id\`, \`status\`);`);
    this.addSql(`alter table \`offers\` add unique \`offers_errand_id_helper_id_round_unique\`(\`errand_id\`, \`helper_id\`, \`round\`);`);

    this.addSql(`create table \`sessions\` (\`id\` bigint unsigned not null auto_increment primary key, \`token_hash\` varchar(64) not null, \`user_id\` int not null, \`created_at\` bigint not null, \`expires_at\` bigint not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`sessions\` add unique \`sessions_token_hash_unique\`(\`token_hash\`);`);
    this.addSql(`alter table \`sessions\` add index \`sessions_user_id_index\`(\`user_id\`);`);

    this.addSql(`create table \`users\` (\`id\` int unsigned not null auto_increment primary key, \`openid\` varchar(64) not null, \`name\` varchar(30) not null, \`phone\` varchar(20) null, \`roles\` varchar(40) not null, \`community_id\` int null, \`created_at\` bigint not null, \`last_login_at\` bigint null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`users\` add unique \`users_openid_unique\`(\`openid\`);`);
    this.addSql(`alter table \`users\` add index \`users_community_id_index\`(\`community_id\`);`);
  }

}
