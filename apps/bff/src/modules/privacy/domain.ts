import { CATEGORY_LABELS, type ErrandCategory, type ErrandItem } from '@linli/contracts';

/**
 * What is left of an errand's items once its retention period is over: the kind of goods and how
 * many, never the words people typed ("降压药 for 张大爷" says more about a household than "药品").
 */
export function minimiseItems(category: ErrandCategory, items: ErrandItem[]): ErrandItem[] {
  return items.map((item) => ({ ...item, name: CATEGORY_LABELS[category] }));
}

/** The moment before which closed errands lose their personal details. */
export function retentionCutoff(now: number, days: number): number {
  return now - days * 86_400_000;
}
