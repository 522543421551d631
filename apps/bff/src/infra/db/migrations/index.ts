import { Migration20261128185817_initial } from './Migration20261128185817_initial';
import { Migration20261128191412_dispatch } from './Migration20261128191412_dispatch';
import { Migration20261128202037_duty_total } from './Migration20261128202037_duty_total';
import { Migration20261128211918_outbox } from './Migration20261128211918_outbox';
import { Migration20261128223000_notifications } from './Migration20261128223000_notifications';
import { Migration20261128230000_retention } from './Migration20261128230000_retention';
import { Migration20261129010100_exact_identifiers } from './Migration20261129010100_exact_identifiers';
import { Migration20261129010200_handover_failures } from './Migration20261129010200_handover_failures';
import { Migration20261129020000_staff_queue } from './Migration20261129020000_staff_queue';
import { Migration20261129030000_neighbour_contact } from './Migration20261129030000_neighbour_contact';
import { Migration20261129100000_levels_audit } from './Migration20261129100000_levels_audit';
import { Migration20261129100100_roles_length } from './Migration20261129100100_roles_length';
import { Migration20261129110000_stats } from './Migration20261129110000_stats';
import { Migration20261129120000_lists } from './Migration20261129120000_lists';
import { Migration20261129130000_care_ledger } from './Migration20261129130000_care_ledger';
import { Migration20261129140000_sla } from './Migration20261129140000_sla';
import { Migration20261130010000_wechat_unionid } from './Migration20261130010000_wechat_unionid';
import { Migration20261130030000_notification_cursor } from './Migration20261130030000_notification_cursor';
import { Migration20261130080000_history_filters } from './Migration20261130080000_history_filters';
import { Migration20261130090500_website_login_states } from './Migration20261130090500_website_login_states';
import { Migration20261130110000_outbox_seq_index } from './Migration20261130110000_outbox_seq_index';

/** Every migration, in order. Listed explicitly so tsx, jest and a bundled build all find them. */
export const MIGRATIONS = [
  { name: 'Migration20261128185817_initial', class: Migration20261128185817_initial },
  { name: 'Migration20261128191412_dispatch', class: Migration20261128191412_dispatch },
  { name: 'Migration20261128202037_duty_total', class: Migration20261128202037_duty_total },
  { name: 'Migration20261128211918_outbox', class: Migration20261128211918_outbox },
  { name: 'Migration20261128223000_notifications', class: Migration20261128223000_notifications },
  { name: 'Migration20261128230000_retention', class: Migration20261128230000_retention },
  { name: 'Migration20261129010100_exact_identifiers', class: Migration20261129010100_exact_identifiers },
  { name: 'Migration20261129010200_handover_failures', class: Migration20261129010200_handover_failures },
  { name: 'Migration20261129020000_staff_queue', class: Migration20261129020000_staff_queue },
  { name: 'Migration20261129030000_neighbour_contact', class: Migration20261129030000_neighbour_contact },
  { name: 'Migration20261129100000_levels_audit', class: Migration20261129100000_levels_audit },
  { name: 'Migration20261129100100_roles_length', class: Migration20261129100100_roles_length },
  { name: 'Migration20261129110000_stats', class: Migration20261129110000_stats },
  { name: 'Migration20261129120000_lists', class: Migration20261129120000_lists },
  { name: 'Migration20261129130000_care_ledger', class: Migration20261129130000_care_ledger },
  { name: 'Migration20261129140000_sla', class: Migration20261129140000_sla },
  { name: 'Migration20261130010000_wechat_unionid', class: Migration20261130010000_wechat_unionid },
  { name: 'Migration20261130030000_notification_cursor', class: Migration20261130030000_notification_cursor },
  { name: 'Migration20261130080000_history_filters', class: Migration20261130080000_history_filters },
  { name: 'Migration20261130090500_website_login_states', class: Migration20261130090500_website_login_states },
  { name: 'Migration20261130110000_outbox_seq_index', class: Migration20261130110000_outbox_seq_index },
];
