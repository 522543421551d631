import { Readable } from 'node:stream';
import { ByteBuilder } from './byte-builder';
import type { Cell } from './domain';
import type { ExportSource } from './source';
import { ZipWriter } from './zip-writer';

// The XLSX export, written by hand: one sheet of inline strings and numbers (no shared strings,
// no styles: both keep per-workbook state growing with the rows), its XML built as one string per
// page and deflated as it goes (zip-writer.ts). exceljs's streaming WorkbookWriter did the same job
// at 12,000–20,000 rows/s on this machine, most of it building a cell object per value; this
// writer goes at the speed of the database reads and deflate. The parts are the minimum that
// Excel, WPS and LibreOffice open (test/lists-exports.test.ts reads the file back with exceljs).

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

// One font, fill, border and cell format: what Excel expects of a styles part at least.
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const workbook = (sheetName: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;

// Characters XML 1.0 cannot carry at all (dropped), and the ones it must escape.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// eslint-disable-next-line no-control-regex -- likewise
const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(INVALID_XML, '').replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

/** A, B, …, Z, AA, …: the column letters of a cell reference. */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const EDGE_SPACE = /^\s|\s$/;

/** One <row> of the sheet: strings inline, numbers as numbers, empty cells left out. */
function rowXml(rowNumber: number, cells: readonly Cell[], letters: readonly string[]): string {
  // Plain concatenation, the row number turned to text once: this runs for every cell exported.
  const rn = String(rowNumber);
  let xml = '<row r="' + rn + '">';
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (typeof v === 'string') {
      if (v === '') continue;
      xml +=
        '<c r="' +
        letters[i]! +
        rn +
        (EDGE_SPACE.test(v) ? '" t="inlineStr"><is><t xml:space="preserve">' : '" t="inlineStr"><is><t>') +
        escapeXml(v) +
        '</t></is></c>';
    } else if (typeof v === 'number' && Number.isFinite(v)) {
      xml += '<c r="' + letters[i]! + rn + '"><v>' + String(v) + '</v></c>';
    }
  }
  return xml + '</row>';
}

/** The sheet's XML, a page of rows per piece. */
async function* sheetXml(source: ExportSource): AsyncGenerator<string | Buffer> {
  const letters = source.columns.map((_, i) => columnLetters(i));
  const cols = source.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 14}" customWidth="1"/>`).join('');
  let head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<cols>${cols}</cols><sheetData>`;
  head += rowXml(
    1,
    source.columns.map((c) => c.header),
    letters,
  );
  yield head;
  let rowNumber = 1;
  const bytes = new ByteBuilder();
  for await (const page of source.pages()) {
    for (const row of page) bytes.add(rowXml(++rowNumber, row, letters));
    yield bytes.take();
  }
  yield '</sheetData></worksheet>';
}

/** The XLSX file as a stream that reads the next page only when the client has taken the previous. */
export function xlsxStream(source: ExportSource, now = Date.now()): Readable {
  const zip = new ZipWriter(now);
  void (async () => {
    await zip.add('[Content_Types].xml', CONTENT_TYPES);
    await zip.add('_rels/.rels', ROOT_RELS);
    await zip.add('xl/workbook.xml', workbook(source.sheetName));
    await zip.add('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
    await zip.add('xl/styles.xml', STYLES);
    if (!(await zip.addStreamed('xl/worksheets/sheet1.xml', sheetXml(source)))) return; // the client went away
    await zip.finish();
  })().catch((err: unknown) => zip.out.destroy(err instanceof Error ? err : new Error(String(err))));
  return zip.out;
}
