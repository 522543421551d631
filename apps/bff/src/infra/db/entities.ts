import { Community, Compound, Building, Household, HouseholdChangeRequest } from '../../modules/community/entities';
import { User, Session, WebsiteLoginState } from '../../modules/auth/entities';
import { Helper, HelperZone } from '../../modules/helpers/entities';
import { Errand, ErrandEvent, ErrandStatusCount, Offer, IdempotencyRecord } from '../../modules/errands/entities';
import { Deadline } from '../../modules/dispatch/entities';
import { OutboxEvent, EventSequence } from '../../modules/live/entities';
import { Notification, NotificationCursor } from '../../modules/notifications/entities';
import { WechatAccessToken } from '../wechat/entities';
import { PrivacyBinding } from '../privacy-number/entities';
import { District, Street } from '../../modules/community/entities';
import { AuditLog } from '../../modules/audit/entities';
import { CareAssignment, CareVisit } from '../../modules/care/entities';
import { RecurringTask } from '../../modules/recurrence/entities';
import {
  StatsCategoryDaily,
  StatsCompoundDaily,
  StatsHelperDaily,
  StatsHouseholdDays,
  StatsLatencyDaily,
} from '../../modules/stats/entities';
import { ImportBatch, ImportBatchRow } from '../../modules/imports/entities';

/** Every entity of every module: the schema MikroORM builds and migrates. */
export const ENTITIES = [
  Community,
  Compound,
  Building,
  Household,
  User,
  Session,
  WebsiteLoginState,
  Helper,
  HelperZone,
  Errand,
  ErrandEvent,
  Offer,
  IdempotencyRecord,
  ErrandStatusCount,
  Deadline,
  OutboxEvent,
  EventSequence,
  Notification,
  NotificationCursor,
  WechatAccessToken,
  HouseholdChangeRequest,
  PrivacyBinding,
  District,
  Street,
  AuditLog,
  RecurringTask,
  CareAssignment,
  CareVisit,
  StatsCategoryDaily,
  StatsCompoundDaily,
  StatsLatencyDaily,
  StatsHelperDaily,
  StatsHouseholdDays,
  ImportBatch,
  ImportBatchRow,
];
