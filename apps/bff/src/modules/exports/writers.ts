import { Readable } from 'node:stream';
import { ByteBuilder } from './byte-builder';
import { csvLine, UTF8_BOM } from './domain';
import type { ExportSource } from './source';
import { xlsxStream } from './xlsx';

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
  async function* chunks(): AsyncGenerator<string | Buffer> {
    yield UTF8_BOM + csvLine(source.columns.map((c) => c.header));
    const bytes = new ByteBuilder(1 << 19);
    for await (const page of source.pages()) {
      for (const row of page) bytes.add(csvLine(row));
      yield bytes.take();
    }
  }
  // highWaterMark 1: one page waits in the stream, the next is not read before it is taken.
  return Readable.from(chunks(), { objectMode: true, highWaterMark: 1 });
}

/** attachment; with an ASCII fallback name and the Chinese one for browsers that read filename*. */
export function contentDisposition(fileName: string, format: ExportFormat, asciiName: string): string {
  return `attachment; filename="${asciiName}.${format}"; filename*=UTF-8''${encodeURIComponent(`${fileName}.${format}`)}`;
}
