import fc from 'fast-check';
import { z } from 'zod';
import { HouseholdInput, RateBody, ReasonBody, plainIssueMessage, routes, type ApiRoute } from './index';

/** What people may read: Chinese, and none of zod's English words. */
const isPlainChinese = (message: string) =>
  /[\u4e00-\u9fa5]/.test(message) && !/expected|invalid|too (big|small)|received|input/i.test(message);
const messagesOf = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues.map((i) => i.message) ?? [];

/** Values nobody should send, one field at a time. */
const JUNK: unknown[] = ['', ' ', 'x'.repeat(5_000), -1e12, 1e12, 1.5, Number.NaN, null, {}, [], true, 'abc', [1, 2, 3]];

const inputSchemas = Object.entries(routes as Record<string, ApiRoute>).flatMap(([name, r]) =>
  (['params', 'querystring', 'body'] as const).flatMap((part) => (r[part] ? [[`${name} ${part}`, r[part]] as const] : [])),
);

describe('what a failed check says', () => {
  it('checks without words of their own fall back to plain Chinese, naming the limit', () => {
    const schema = z.object({
      text: z.string().max(6),
      n: z.number().int().min(1).max(9),
      list: z.array(z.string()).min(1),
      pick: z.enum(['a']),
    });
    expect(messagesOf(schema, { text: '七个字的一句话', n: 10, list: [], pick: 'a' })).toEqual([
      '不能超过6个字',
      '不能大于9',
      '至少要有一项',
    ]);
    expect(messagesOf(schema, { text: 'ok', n: 1.5, list: ['x'], pick: 'b' })).toEqual(['须为整数', '请从给出的选项中选择']);
    expect(messagesOf(schema, { list: ['x'], pick: 'a' })).toEqual(['缺少这一项', '缺少这一项']);
    expect(messagesOf(z.strictObject({}), { extra: 1 })).toEqual(['含有多余的内容']);
    expect(messagesOf(z.iso.datetime(), 'yesterday')).toEqual(['时间格式不正确']);
  });

  it('fields people fill say which field and what to do', () => {
    const household = { buildingId: 1, unit: '2', floor: 6, room: '602', contactName: '王秀兰', phone: '13812341234' };
    expect(messagesOf(HouseholdInput, { ...household, contactName: '王'.repeat(21) })).toEqual(['联系人不超过20个字']);
    expect(messagesOf(HouseholdInput, { ...household, unit: '1'.repeat(11), room: '6'.repeat(11) })).toEqual([
      '单元不超过10个字',
      '门牌号不超过10个字',
    ]);
    expect(messagesOf(HouseholdInput, { ...household, floor: 100 })).toEqual(['楼层在-3到99之间']);
    expect(messagesOf(HouseholdInput, { ...household, buildingId: undefined })).toEqual(['请选择楼栋']);
    expect(messagesOf(ReasonBody, { reason: '有'.repeat(101) })).toEqual(['原因不超过100字']);
    expect(messagesOf(RateBody, { stars: 5, comment: '好'.repeat(201) })).toEqual(['评价不超过200字']);
  });

  it.each(inputSchemas)('%s answers any bad value in plain Chinese', (_name, schema) => {
    const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
    for (const key of shape) {
      for (const junk of JUNK)
        for (const message of messagesOf(schema, { [key]: junk }))
          expect([key, junk, message, isPlainChinese(message)]).toEqual([key, junk, message, true]);
    }
    fc.assert(
      fc.property(fc.anything(), (value) => messagesOf(schema, value).every(isPlainChinese)),
      { numRuns: 200 },
    );
  });

  it('the fallback has words for every issue zod raises', () => {
    const codes = [
      'invalid_type',
      'too_big',
      'too_small',
      'invalid_format',
      'not_multiple_of',
      'unrecognized_keys',
      'invalid_union',
      'invalid_key',
      'invalid_element',
      'invalid_value',
      'custom',
    ];
    for (const code of codes) {
      const issue = {
        code,
        input: 1,
        path: [],
        origin: 'string',
        maximum: 1,
        minimum: 1,
        divisor: 2,
        keys: [],
        expected: 'string',
        format: 'regex',
      };
      expect(isPlainChinese(plainIssueMessage(issue as unknown as z.core.$ZodRawIssue))).toBe(true);
    }
  });
});
