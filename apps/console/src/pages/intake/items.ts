import type { ErrandItem } from '@linli/contracts';

/**
 * What the desk types while the caller talks: "桶装水 2，大米 1袋、酱油" becomes three items. A
 * number after a name is its quantity (1 when missing), a unit word after the number is kept.
 * Pure, for tests.
 */
export function parseItems(text: string): ErrandItem[] {
  return text
    .split(/[,，、;；\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(.*?)\s*[x×*]?\s*(\d{1,2})\s*(\S{0,6})$/.exec(part);
      if (!m || !m[1]) return { name: part, quantity: 1 };
      const item: ErrandItem = { name: m[1].trim(), quantity: Number(m[2]) };
      return m[3] ? { ...item, unit: m[3] } : item;
    });
}

/** The door the desk typed into the search box (3-2-301), to prefill the registration form. */
export function doorOf(query: string): { building: string; unit: string; room: string } | null {
  const m = /^(\d+)\D*-(\w+?)\D*-(\w+)\D*$/.exec(query.trim());
  return m ? { building: m[1]!, unit: m[2]!, room: m[3]! } : null;
}
