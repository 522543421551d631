import { z } from 'zod';
import { HelperKind, LockdownStatus, Role } from './enums';

import { CommunityContact } from './contact';
import { ChinaMobile, UNSAFE_TEXT_MESSAGE, isPlainLine } from './common';

export const WechatLoginBody = z.object({
  code: z.string().min(1, '缺少登录凭证').max(128),
});
export type WechatLoginBody = z.infer<typeof WechatLoginBody>;

/** What the desk console needs to send a browser to WeChat's QR page (网站应用微信登录); null when it is off. */
export const WebsiteLoginOption = z.object({ appId: z.string(), authorizeUrl: z.string() });
export type WebsiteLoginOption = z.infer<typeof WebsiteLoginOption>;

/** A signed, short-lived CSRF state the console passes through WeChat's redirect and back. */
export const WebsiteLoginState = z.object({ state: z.string(), expiresAt: z.string() });
export type WebsiteLoginState = z.infer<typeof WebsiteLoginState>;

export const WebsiteLoginBody = z.object({
  code: z.string().min(1, '缺少登录凭证').max(128),
  state: z.string().min(1, '缺少登录状态').max(256),
});
export type WebsiteLoginBody = z.infer<typeof WebsiteLoginBody>;

export const DevLoginBody = z.object({
  openid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'openid 只能包含字母、数字、下划线和短横线'),
  role: Role,
});
export type DevLoginBody = z.infer<typeof DevLoginBody>;

export const HouseholdFlags = z.object({
  elderlyAlone: z.boolean().default(false),
  disabled: z.boolean().default(false),
  postTreatment: z.boolean().default(false),
  chronicMedication: z.boolean().default(false),
  infants: z.boolean().default(false),
  pregnancy: z.boolean().default(false),
});

/** An address inside a served building, as a resident registers it or a helper types it in. */
export const HouseholdInput = z
  .object({
    buildingId: z.number('请选择楼栋').int('请选择楼栋').positive('请选择楼栋'),
    unit: z.string().trim().min(1, '请填写单元').max(10, '单元不超过10个字').refine(isPlainLine, UNSAFE_TEXT_MESSAGE),
    floor: z.number('请填写楼层').int('楼层须为整数').min(-3, '楼层在-3到99之间').max(99, '楼层在-3到99之间'),
    room: z.string().trim().min(1, '请填写门牌号').max(10, '门牌号不超过10个字').refine(isPlainLine, UNSAFE_TEXT_MESSAGE),
    contactName: z.string().trim().min(1, '请填写联系人').max(20, '联系人不超过20个字').refine(isPlainLine, UNSAFE_TEXT_MESSAGE),
    phone: ChinaMobile,
  })
  .extend(HouseholdFlags.shape);
export type HouseholdInput = z.infer<typeof HouseholdInput>;

export const HouseholdView = z.object({
  id: z.number().int(),
  communityId: z.number().int(),
  communityName: z.string(),
  compoundId: z.number().int(),
  compoundName: z.string(),
  compoundLockdown: LockdownStatus,
  buildingId: z.number().int(),
  buildingName: z.string(),
  hasLift: z.boolean(),
  unit: z.string(),
  floor: z.number().int(),
  room: z.string(),
  contactName: z.string(),
  phone: z.string(),
  elderlyAlone: z.boolean(),
  disabled: z.boolean(),
  postTreatment: z.boolean(),
  // Added later: a view from a BFF that predates them (or an older fixture) reads as "no".
  chronicMedication: z.boolean().default(false),
  infants: z.boolean().default(false),
  pregnancy: z.boolean().default(false),
});
export type HouseholdView = z.infer<typeof HouseholdView>;

export const HelperProfile = z.object({
  id: z.number().int(),
  kind: HelperKind,
  verified: z.boolean(),
  onDuty: z.boolean(),
  capacity: z.number().int(),
  canCarryHeavy: z.boolean(),
  communityId: z.number().int(),
  zoneBuildingIds: z.array(z.number().int()),
});
export type HelperProfile = z.infer<typeof HelperProfile>;

export const Me = z.object({
  id: z.number().int(),
  name: z.string(),
  roles: z.array(Role),
  phone: z.string().nullable(),
  /** Staff and helpers belong to one community; residents through their household. */
  communityId: z.number().int().nullable(),
  household: HouseholdView.nullable(),
  helper: HelperProfile.nullable(),
  /** The community of `communityId`, with its duty phone (null until the person belongs to one). */
  community: CommunityContact.nullable(),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: Me,
});
export type LoginResponse = z.infer<typeof LoginResponse>;
