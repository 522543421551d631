import type { Cell } from './domain';

/**
 * What an export streams, whatever its format: the column headers and the rows, a page at a time
 * (an async iterable read only as fast as the client downloads). Errands are the first source;
 * the service-hours ledger and the statistics plug in the same way (see exportStream in writers.ts).
 */
export interface ExportSource {
  /** File name without extension, e.g. 代办明细-20261130. */
  fileName: string;
  sheetName: string;
  columns: readonly { header: string; width?: number }[];
  pages(): AsyncIterable<readonly (readonly Cell[])[]>;
}
