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

/**
 * Whether text holds characters nobody types on purpose: C0 and C1 controls (NUL, escape
 * sequences), unpaired UTF-16 surrogates (not text at all), and the invisible marks that reorder
 * what follows them (bidi embeddings, overrides and isolates, LRM, RLM, ALM), which make a name or
 * an item read as something else. A loop rather than a regex: lookbehind is missing from the
 * JavaScript engines of older WeChat clients, and these schemas run there too.
 */
export function hasUnsafeCharacters(text: string, allowNewlines = false): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x0a && allowNewlines) continue;
      return true;
    }
    if (c >= 0x7f && c <= 0x9f) return true;
    if (c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

export const UNSAFE_TEXT_MESSAGE = '不能包含控制字符或看不见的特殊字符，请重新输入';
/** The refinement for one-line free text (names, items, rooms). */
export const isPlainLine = (text: string): boolean => !hasUnsafeCharacters(text, false);
/** The refinement for longer free text (notes, reasons, comments), where line breaks are fine. */
export const isPlainText = (text: string): boolean => !hasUnsafeCharacters(text, true);
