import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../api/errors';
import { readWhileCurrent } from './ordered-reads';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Server-side paging over the BFF's opaque cursors: the page keeps the cursors it came through,
 * so 上一页 goes back without the server knowing offsets. Loading and errors are state the page shows.
 */
export function useCursorPages<P extends CursorPage<unknown>>(
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<P>,
  deps: unknown[],
) {
  const [page, setPage] = useState<P | null>(null);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // A filter change starts again from the first page. The fresh array is what reloads: on the
  // first page the cursor (undefined) and the page count (1) stay the same, so they cannot.
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) setCursors([undefined]);
    mounted.current = true;
  }, deps);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    setLoading(true);
    setError(null);
    return readWhileCurrent((signal) => loadRef.current(cursor, signal), {
      answer: setPage,
      failure: (e) => setError(messageOf(e)),
      settled: () => setLoading(false),
    });
  }, [cursor, cursors, reloads]);

  const next = useCallback(() => {
    if (page?.nextCursor) setCursors((c) => [...c, page.nextCursor ?? undefined]);
  }, [page]);
  const previous = useCallback(() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)), []);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { page, loading, error, next, previous, reload, pageNumber: cursors.length, hasNext: Boolean(page?.nextCursor) };
}
