import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { csvLine, UTF8_BOM } from './domain';
import type { ExportSource } from './source';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The file as a stream that reads the next page only when the client has taken the previous one:
 * at most one page of rows is in memory, whatever the size of the export.
 */
export function exportStream(source: ExportSource, format: ExportFormat): Readable {
  return format === 'csv' ? csvStream(source) : xlsxStream(source);
}

function csvStream(source: ExportSource): Readable {
  async function* chunks(): AsyncGenerator<string> {
    yield UTF8_BOM + csvLine(source.columns.map((c) => c.header));
    for await (const page of source.pages()) {
      let chunk = '';
      for (const row of page) chunk += csvLine(row);
      yield chunk;
    }
  }
  // highWaterMark 1: one page waits in the stream, the next is not read before it is taken.
  return Readable.from(chunks(), { objectMode: true, highWaterMark: 1 });
}

/** Until `stream` has taken what is buffered, or the client has gone away. */
async function drained(stream: Writable | undefined, out: PassThrough): Promise<void> {
  // archiver's streams come from readable-stream 2, without writableNeedDrain: read its state.
  const state = (stream as unknown as { _writableState?: { needDrain?: boolean } } | undefined)?._writableState;
  if (!stream || !(stream.writableNeedDrain || state?.needDrain) || out.destroyed) return;
  const done = new AbortController(); // the listener that did not fire goes too
  try {
    await Promise.race([once(stream, 'drain', { signal: done.signal }), once(out, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
}

/**
 * Where exceljs's sheet stream writes: the zip entry's compressor. exceljs writes to it without
 * waiting for it, so deflate falling behind would pile rows up in memory (432 MB peak for 300,000
 * rows measured) unless we wait for it too.
 */
function compressorOf(sheet: ExcelJS.Worksheet): Writable | undefined {
  return (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
}

function xlsxStream(source: ExportSource): Readable {
  const out = new PassThrough();
  // No shared strings and no styles: both would keep per-workbook state growing with the rows.
  // Deflate at level 1: most of an XLSX export's CPU is compression, and level 1 costs a fraction
  // of the default for files a few percent larger.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
    zip: { zlib: { level: 1 } },
  });
  void (async () => {
    const sheet = workbook.addWorksheet(source.sheetName);
    sheet.columns = source.columns.map((c) => ({ header: c.header, width: c.width ?? 14 }));
    for await (const page of source.pages()) {
      if (out.destroyed) return; // the client went away: stop reading the database
      for (const row of page) sheet.addRow(row as ExcelJS.CellValue[]).commit();
      await drained(compressorOf(sheet), out);
      await drained(out, out);
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

/** attachment; with an ASCII fallback name and the Chinese one for browsers that read filename*. */
export function contentDisposition(fileName: string, format: ExportFormat, asciiName: string): string {
  return `attachment; filename="${asciiName}.${format}"; filename*=UTF-8''${encodeURIComponent(`${fileName}.${format}`)}`;
}
