import { DialectMigration } from './dialect-migration';

/**
 * The 包保 care ledger (care_assignments, care_visits), the recurring tasks that create its visits
 * and residents' repeated errands, and three more household care flags.
 */
export class Migration20261129130000_care_ledger extends DialectMigration {
  override async up(): Promise<void> {
    this.ddl({
      mysql: [
        "create table `care_assignments` (`id` int unsigned not null auto_increment primary key, `household_id` int not null, `community_id` int not null, `helper_id` int not null, `cadence_days` int not null, `task_id` int not null, `next_visit_due_at` bigint not null, `last_visit_at` bigint null, `last_outcome` enum('safe', 'needs_help') null, `created_at` bigint not null, `updated_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
        'alter table `care_assignments` add unique `care_assignments_household_id_unique`(`household_id`);',
        'alter table `care_assignments` add index `care_assignments_community_id_next_visit_due_at_id_index`(`community_id`, `next_visit_due_at`, `id`);',
        'alter table `care_assignments` add index `care_assignments_helper_id_index`(`helper_id`);',
        "create table `care_visits` (`id` int unsigned not null auto_increment primary key, `assignment_id` int not null, `community_id` int not null, `household_id` int not null, `helper_id` int not null, `due_at` bigint not null, `status` enum('pending', 'done', 'missed', 'cancelled') not null default 'pending', `outcome` enum('safe', 'needs_help') null, `note` varchar(200) null, `errand_id` int null, `done_at` bigint null, `created_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
        'alter table `care_visits` add index `care_visits_helper_id_status_index`(`helper_id`, `status`);',
        'alter table `care_visits` add index `care_visits_community_id_status_index`(`community_id`, `status`);',
        'alter table `care_visits` add index `care_visits_status_due_at_index`(`status`, `due_at`);',
        'alter table `care_visits` add index `care_visits_assignment_id_status_index`(`assignment_id`, `status`);',
        'alter table `care_visits` add unique `care_visits_assignment_id_due_at_unique`(`assignment_id`, `due_at`);',
        "create table `recurring_tasks` (`id` int unsigned not null auto_increment primary key, `kind` enum('visit', 'repeat_errand') not null, `owner_user_id` int not null, `community_id` int not null, `household_id` int not null, `cadence_days` int not null, `next_run_at` bigint not null, `payload_json` text not null, `active` tinyint(1) not null default true, `last_run_at` bigint null, `last_result` varchar(20) null, `created_at` bigint not null, `updated_at` bigint not null) default character set utf8mb4 engine = InnoDB;",
        'alter table `recurring_tasks` add index `recurring_tasks_active_next_run_at_index`(`active`, `next_run_at`);',
        'alter table `recurring_tasks` add index `recurring_tasks_owner_user_id_kind_index`(`owner_user_id`, `kind`);',
        'alter table `households` add `chronic_medication` tinyint(1) not null default false, add `infants` tinyint(1) not null default false, add `pregnancy` tinyint(1) not null default false;',
      ],
      sqlite: [
        "create table `care_assignments` (`id` integer not null primary key autoincrement, `household_id` integer not null, `community_id` integer not null, `helper_id` integer not null, `cadence_days` integer not null, `task_id` integer not null, `next_visit_due_at` bigint not null, `last_visit_at` bigint null, `last_outcome` text check (`last_outcome` in ('safe', 'needs_help')) null, `created_at` bigint not null, `updated_at` bigint not null);",
        'create unique index `care_assignments_household_id_unique` on `care_assignments` (`household_id`);',
        'create index `care_assignments_community_id_next_visit_due_at_id_index` on `care_assignments` (`community_id`, `next_visit_due_at`, `id`);',
        'create index `care_assignments_helper_id_index` on `care_assignments` (`helper_id`);',
        "create table `care_visits` (`id` integer not null primary key autoincrement, `assignment_id` integer not null, `community_id` integer not null, `household_id` integer not null, `helper_id` integer not null, `due_at` bigint not null, `status` text check (`status` in ('pending', 'done', 'missed', 'cancelled')) not null default 'pending', `outcome` text check (`outcome` in ('safe', 'needs_help')) null, `note` text null, `errand_id` integer null, `done_at` bigint null, `created_at` bigint not null);",
        'create index `care_visits_helper_id_status_index` on `care_visits` (`helper_id`, `status`);',
        'create index `care_visits_community_id_status_index` on `care_visits` (`community_id`, `status`);',
        'create index `care_visits_status_due_at_index` on `care_visits` (`status`, `due_at`);',
        'create index `care_visits_assignment_id_status_index` on `care_visits` (`assignment_id`, `status`);',
        'create unique index `care_visits_assignment_id_due_at_unique` on `care_visits` (`assignment_id`, `due_at`);',
        "create table `recurring_tasks` (`id` integer not null primary key autoincrement, `kind` text check (`kind` in ('visit', 'repeat_errand')) not null, `owner_user_id` integer not null, `community_id` integer not null, `household_id` integer not null, `cadence_days` integer not null, `next_run_at` bigint not null, `payload_json` text not null, `active` integer not null default true, `last_run_at` bigint null, `last_result` text null, `created_at` bigint not null, `updated_at` bigint not null);",
        'create index `recurring_tasks_active_next_run_at_index` on `recurring_tasks` (`active`, `next_run_at`);',
        'create index `recurring_tasks_owner_user_id_kind_index` on `recurring_tasks` (`owner_user_id`, `kind`);',
        'alter table `households` add column `chronic_medication` integer not null default false;',
        'alter table `households` add column `infants` integer not null default false;',
        'alter table `households` add column `pregnancy` integer not null default false;',
      ],
    });
  }
}
