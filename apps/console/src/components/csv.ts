/** One CSV cell: quoted when it holds a separator, and a leading = + - @ defused so Excel does not run it. */
function cell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a BOM, so Excel on a desk PC opens the Chinese headers correctly. */
export function csvBlob(headers: string[], rows: unknown[][]): Blob {
  const lines = [headers, ...rows].map((r) => r.map(cell).join(','));
  return new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
}

/** Reads every page of a cursor-paged list (the export holds all rows, not the one on screen). */
export async function allPages<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  max = 50_000,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await load(cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < max);
  return out;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
