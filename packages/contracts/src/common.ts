import { z } from 'zod';

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Which fields were wrong, for validation errors. */
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Public errand ids are random (128 bits, base64url) so they cannot be guessed or enumerated. */
export const PublicId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, '代办编号格式不正确');
export const ErrandIdParams = z.object({ id: PublicId });

export const Id = z.coerce.number().int().positive();
export const IsoDateTime = z.iso.datetime({ offset: true });
export const ChinaMobile = z.string().regex(/^1[3-9]\d{9}$/, '请输入11位手机号码');
/** GCJ-02, what wx.getLocation({type:'gcj02'}) returns; bounded to mainland China. */
export const Latitude = z.number().min(3).max(54);
export const Longitude = z.number().min(73).max(136);

export const Ok = z.object({ ok: z.literal(true) });
