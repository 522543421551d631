import { z } from 'zod';

/**
 * Words for a check that carries no message of its own. Zod's defaults are English
 * ("Too big: expected string to have <=100 characters") and its zh-CN locale is a developer's
 * ("数值过大：期望 string <=100 字符"); both reached the desk's alerts and the BFF's 400s. The fields
 * people fill name themselves in their own messages; this is the floor under them.
 */
export function plainIssueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '缺少这一项';
      if (issue.expected === 'int') return '须为整数';
      if (issue.expected === 'number') return '须为数字';
      return '格式不正确';
    case 'too_big':
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'too_small':
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'not_multiple_of':
      return issue.divisor === 1 ? '须为整数' : `须为${issue.divisor}的倍数`;
    case 'invalid_format':
      return issue.format === 'datetime' || issue.format === 'date' ? '时间格式不正确' : '格式不正确';
    case 'invalid_value':
      return '请从给出的选项中选择';
    case 'unrecognized_keys':
      return '含有多余的内容';
    default:
      return '格式不正确';
  }
}

function tooBig(origin: string, max: number, inclusive: boolean): string {
  if (origin === 'string') return `不能超过${max}个字`;
  if (origin === 'array' || origin === 'set') return `最多${max}项`;
  if (origin === 'number' || origin === 'int') return inclusive ? `不能大于${max}` : `须小于${max}`;
  if (origin === 'date') return '时间太晚了';
  return '内容太多了';
}

function tooSmall(origin: string, min: number, inclusive: boolean): string {
  if (origin === 'string') return min <= 1 ? '不能为空' : `至少${min}个字`;
  if (origin === 'array' || origin === 'set') return min <= 1 ? '至少要有一项' : `至少${min}项`;
  if (origin === 'number' || origin === 'int') return inclusive ? `不能小于${min}` : `须大于${min}`;
  if (origin === 'date') return '时间太早了';
  return '内容太少了';
}

/**
 * Makes plainIssueMessage zod's fallback in this process. Checks with their own message keep it;
 * a caller that wants another language passes `{ error }` to its own parse (the BFF's config does).
 */
z.config({ customError: plainIssueMessage });
