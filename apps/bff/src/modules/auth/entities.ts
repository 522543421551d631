import { defineEntity, p } from '@mikro-orm/core';
import { ExactString } from '../../infra/db/exact-string';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    openid: p.string().length(64).type(ExactString).unique(),
    name: p.string().length(30),
    phone: p.string().length(20).nullable(),
    /** Comma-separated roles, e.g. "resident,helper"; room for all five at once. */
    roles: p.string().length(60),
    /** Set for staff (the community they serve). */
    communityId: p.integer().nullable().index(),
    /**
     * Street and district staff: which level they oversee and that street's or district's id
     * (null for everyone else). The role ('street_staff', 'district_staff') grants the right; these
     * say where.
     */
    staffLevel: p.enum(['street', 'district']).nullable(),
    staffScopeId: p.integer().nullable(),
    createdAt: p.bigint('number'),
    lastLoginAt: p.bigint('number').nullable(),
    /** The same person in the mini-program and the desk console's QR login (see Migration20261130010000). */
    wechatUnionid: p.string().length(64).type(ExactString).nullable().unique(),
  },
});

/** Our own opaque session: the client holds the token, we keep only its SHA-256. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    tokenHash: p.string().length(64).type(ExactString).unique(),
    userId: p.integer().index(),
    createdAt: p.bigint('number'),
    expiresAt: p.bigint('number'),
  },
});

/**
 * Website-login states already used (the desk console's QR login), so each works once; kept only
 * where Redis does not hold them (modules/auth/website-states.ts). Retention deletes expired rows.
 */
export const WebsiteLoginState = defineEntity({
  name: 'WebsiteLoginState',
  tableName: 'website_login_states',
  properties: {
    /** The random part of the signed state (base64url, so compared exactly). */
    nonce: p.string().length(32).type(ExactString).primary(),
    expiresAt: p.bigint('number').index(),
  },
});
