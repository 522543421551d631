import type { Page } from 'playwright-core';

/**
 * The 适老化 sizes (MIIT 移动互联网应用适老化通用设计规范) as CSS px measured in the browser:
 * 长辈模式 18 px type and 60 × 60 targets; the normal mode 12 px type (14 px body) and 44 × 44.
 */
export interface SizeRules {
  minFont: number;
  minBodyFont: number;
  minTarget: number;
  minLineHeightRatio: number;
}

export const NORMAL_RULES: SizeRules = { minFont: 12, minBodyFont: 14, minTarget: 44, minLineHeightRatio: 1.3 };
export const ELDERLY_RULES: SizeRules = { minFont: 18, minBodyFont: 18, minTarget: 60, minLineHeightRatio: 1.3 };

export interface SizeProblem {
  kind: 'text' | 'line-height' | 'target' | 'body' | 'overflow';
  element: string;
  text: string;
  measured: string;
}

/**
 * Measures, inside the page, every visible element that shows text of its own and every visible
 * thing a finger can tap. Taps are found by role/tag and also by React's own props (Taro h5 views
 * with onClick carry no DOM attribute), so a clickable View cannot slip through.
 */
/** The components the 适老化 issue named, measured wherever they appear (for the summary). */
export const SAMPLED = {
  'page body': '.page',
  'tag text': '.nut-tag-text',
  switch: '.nut-switch',
  checkbox: '.nut-checkbox',
  'checkbox icon': '.nut-checkbox .nut-icon',
  button: '.nut-button',
  choice: '.choice',
  'text input': '.text-input',
  'stepper button': '.nut-inputnumber-minus',
  'step number': '.nut-step-head-text',
  'muted text': '.muted',
} as const;

/** The smallest font (px) and box (w×h) of each sampled component on one page. */
export type Samples = Record<string, { font: number; width: number; height: number }>;

export interface SizeAudit {
  samples: Samples;
  problems: SizeProblem[];
  /** How many texts and targets were measured: a page that measured none proves nothing. */
  texts: number;
  targets: number;
}

export function auditSizes(page: Page, rules: SizeRules): Promise<SizeAudit> {
  return page.evaluate(
    ([r, sampled]: [SizeRules, Record<string, string>]) => {
      const problems: SizeProblem[] = [];
      let texts = 0;
      let targets = 0;
      const visible = (el: Element): boolean => {
        const rect = el.getBoundingClientRect();
        if (rect.width < 1 || rect.height < 1) return false;
        if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
        // Taro keeps earlier pages of the stack in the DOM, hidden; toasts fade out the same way.
        return !el.closest('.taro_page[style*="display: none"], .taro__toast[style*="display: none"]');
      };
      const describe = (el: Element): string => {
        const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 3).join('.') : '';
        return `<${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${el.getAttribute('role') ? ` role=${el.getAttribute('role')}` : ''}>`;
      };
      const textOf = (el: Element): string => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 24);

      const root = document.querySelector('.taro_page:not([style*="display: none"]) .page') ?? document.querySelector('.page');
      if (!root) return { samples: {}, problems: [{ kind: 'body', element: 'no .page', text: '', measured: 'missing' }], texts, targets };
      // Larger type must wrap, not push the page sideways (cut-off text on a phone).
      const width = document.documentElement.scrollWidth;
      if (width > window.innerWidth + 1) {
        problems.push({ kind: 'overflow', element: 'page', text: '', measured: `${width}px wide in ${window.innerWidth}px` });
      }
      const bodyFont = parseFloat(getComputedStyle(root).fontSize);
      if (bodyFont < r.minBodyFont) problems.push({ kind: 'body', element: describe(root), text: '', measured: `${bodyFont}px` });

      for (const el of document.body.querySelectorAll('*')) {
        const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
        if (!ownText || !visible(el)) continue;
        texts += 1;
        const box = el.getBoundingClientRect();
        // Cut off at the side of the phone (a scrolling container hides it from scrollWidth).
        if (box.left < -0.5 || box.right > window.innerWidth + 0.5) {
          problems.push({
            kind: 'overflow',
            element: describe(el),
            text: textOf(el),
            measured: `x ${box.left.toFixed(0)}…${box.right.toFixed(0)}`,
          });
        }
        const style = getComputedStyle(el);
        const font = parseFloat(style.fontSize);
        if (font < r.minFont - 0.01)
          problems.push({ kind: 'text', element: describe(el), text: textOf(el), measured: `${font.toFixed(1)}px` });
        const line = style.lineHeight === 'normal' ? NaN : parseFloat(style.lineHeight);
        if (!(line >= font * r.minLineHeightRatio - 0.01)) {
          problems.push({
            kind: 'line-height',
            element: describe(el),
            text: textOf(el),
            measured: `${style.lineHeight} for ${font.toFixed(1)}px`,
          });
        }
      }

      // What a resident types is text too, with no text node to find: a box's font is its value's
      // (and its placeholder's). Found once: h5's notes box kept the browser's 13.3 px in both modes.
      for (const el of document.body.querySelectorAll('input:not([type=hidden]), textarea')) {
        if (!visible(el)) continue;
        texts += 1;
        const font = parseFloat(getComputedStyle(el).fontSize);
        if (font < r.minBodyFont - 0.01) {
          const hint = (el as HTMLInputElement).placeholder || (el as HTMLInputElement).value;
          problems.push({ kind: 'text', element: describe(el), text: hint.slice(0, 24), measured: `${font.toFixed(1)}px typed` });
        }
      }

      const interactiveSelector = [
        'button',
        'a[href]',
        'input:not([type=hidden])',
        'textarea',
        'select',
        '[role=button]',
        '[role=link]',
        '[role=radio]',
        '[role=checkbox]',
        '[role=switch]',
        '[role=tab]',
        'taro-button-core',
        '.nut-button',
        '.nut-switch',
        '.nut-checkbox',
        '.nut-inputnumber-minus',
        '.nut-inputnumber-add',
      ].join(',');
      const hasClickHandler = (el: Element): boolean => {
        const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
        const props = key ? (el as unknown as Record<string, { onClick?: unknown; onTap?: unknown }>)[key] : undefined;
        return typeof props?.onClick === 'function' || typeof props?.onTap === 'function';
      };
      const tappable = [...document.body.querySelectorAll('*')].filter((el) => el.matches(interactiveSelector) || hasClickHandler(el));
      const targetSet = new Set(tappable);
      for (const el of tappable) {
        // An inner part of a target (a button's label) is reached through the outer one: the
        // outer box is what the finger hits. Not so for Taro's h5 input and textarea: a tap on
        // their wrapper's padding focuses nothing, so the real <input>/<textarea> is measured.
        let outer = el.parentElement;
        while (outer && !targetSet.has(outer)) outer = outer.parentElement;
        if (outer) continue;
        if (!visible(el)) continue;
        targets += 1;
        const rect = el.getBoundingClientRect();
        if (rect.left < -0.5 || rect.right > window.innerWidth + 0.5) {
          problems.push({
            kind: 'overflow',
            element: describe(el),
            text: textOf(el),
            measured: `x ${rect.left.toFixed(0)}…${rect.right.toFixed(0)}`,
          });
        }
        if (rect.width < r.minTarget - 0.5 || rect.height < r.minTarget - 0.5) {
          problems.push({
            kind: 'target',
            element: describe(el),
            text: textOf(el),
            measured: `${rect.width.toFixed(1)}×${rect.height.toFixed(1)}`,
          });
        }
      }
      const samples: Samples = {};
      for (const [name, selector] of Object.entries(sampled)) {
        for (const el of document.querySelectorAll(selector)) {
          if (!visible(el)) continue;
          const rect = el.getBoundingClientRect();
          const font = parseFloat(getComputedStyle(el).fontSize);
          const seen = samples[name];
          samples[name] = seen
            ? { font: Math.min(seen.font, font), width: Math.min(seen.width, rect.width), height: Math.min(seen.height, rect.height) }
            : { font, width: rect.width, height: rect.height };
        }
      }
      return { samples, problems, texts, targets };
    },
    [rules, SAMPLED] as [SizeRules, Record<string, string>],
  );
}

export interface ContrastProblem {
  element: string;
  text: string;
  measured: string;
}

/** axe-core's colour-contrast rule (4.5:1 for normal text) on what is on screen now. */
export async function auditContrast(page: Page): Promise<ContrastProblem[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ path: require.resolve('axe-core') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, o: unknown) => Promise<AxeResult> } }).axe;
    interface AxeResult {
      violations: { nodes: { target: string[]; html: string; any: { message: string }[] }[] }[];
    }
    const result = await axe.run(document, { runOnly: ['color-contrast'], resultTypes: ['violations'] });
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => ({ element: n.target.join(' '), text: n.html.slice(0, 80), measured: n.any[0]?.message ?? '' })),
    );
  });
}

/**
 * Lines of short parts (`.keep-words`: 河畔花园 1号楼 · 6楼 · 无电梯; 青菜 × 2斤，豆腐 × 2块) that
 * wrap inside a part (无 / 电梯, 豆 / 腐, 豆腐 × / 2块): two characters drawn on different lines, the
 * first neither a space nor a list's comma, the second not a space; or that start a line with the
 * separator "·" or break beside a quantity's "×". Returns the lines checked, and each bad break.
 */
export async function auditWordBreaks(page: Page): Promise<{ lines: string[]; problems: string[] }> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const lines: string[] = [];
    const range = document.createRange();
    for (const el of Array.from(document.querySelectorAll('.keep-words'))) {
      if (el.getClientRects().length === 0) continue;
      lines.push((el.textContent ?? '').trim());
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let prev: { ch: string; top: number } | null = null;
      let lastSeenTop: number | null = null; // of the last character that is not a space
      let lastSeenChar = '';
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          const ch = text[i]!;
          if (!rect) {
            prev = prev && { ch, top: prev.top };
            continue;
          }
          // Parts end at a space or at a list's comma (青菜 × 2斤，豆腐 × 2块): a line may break after either.
          if (prev && rect.top > prev.top + rect.height / 2 && !/[\s，、；]/.test(prev.ch) && !/\s/.test(ch)) {
            problems.push(
              `"${(el.textContent ?? '').trim()}" breaks inside a word: ${text.slice(Math.max(0, i - 3), i)} / ${text.slice(i, i + 3)}`,
            );
          }
          if (!/\s/.test(ch)) {
            const newLine = lastSeenTop !== null && rect.top > lastSeenTop + rect.height / 2;
            // A separator belongs at the end of the line it follows, not at the start of the next;
            // a quantity stays on its item's line (豆腐 × / 2块 reads as two things).
            if (newLine && (ch === '·' || ch === '×')) {
              problems.push(`"${(el.textContent ?? '').trim()}" starts a line with "${ch}": ${text.slice(i, i + 6)}`);
            }
            if (newLine && lastSeenChar === '×') problems.push(`"${(el.textContent ?? '').trim()}" ends a line with "×"`);
            lastSeenTop = rect.top;
            lastSeenChar = ch;
          }
          prev = { ch, top: rect.top };
        }
      }
    }
    return { lines, problems };
  });
}
