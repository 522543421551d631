import { Community, Compound, Building, Household } from '../../modules/community/entities';
import { User, Session } from '../../modules/auth/entities';
import { Helper, HelperZone } from '../../modules/helpers/entities';
import { Errand, ErrandEvent, ErrandStatusCount, Offer, IdempotencyRecord } from '../../modules/errands/entities';
import { Deadline } from '../../modules/dispatch/entities';
import { OutboxEvent, EventSequence } from '../../modules/live/entities';
import { Notification } from '../../modules/notifications/entities';
import { WechatAccessToken } from '../wechat/entities';

/** Every entity of every module: the schema MikroORM builds and migrates. */
export const ENTITIES = [
  Community,
  Compound,
  Building,
  Household,
  User,
  Session,
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
  WechatAccessToken,
];
