import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError, badRequest } from '../../errors';

/** A sheet as text cells; `rowNo` is the row number the spreadsheet shows (the header is row 1). */
export interface Table {
  headers: string[];
  rows: { rowNo: number; cells: string[] }[];
}

const unsupported = () => new AppError(415, 'UNSUPPORTED_FILE', '只支持 Excel（.xlsx）或 CSV 文件，请在 Excel 中“另存为”其中一种后再上传');

function isZip(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}
function isOldExcel(b: Buffer): boolean {
  return b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;
}

/** UTF-8 (with or without BOM) or, as Excel in China saves "CSV", GB18030. */
function decodeText(b: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(b);
  }
}

function tableOf(records: string[][], maxRows: number): Table {
  const [headerRow, ...rest] = records;
  if (!headerRow) throw badRequest('EMPTY_FILE', '文件是空的，第一行应为表头');
  const rows: Table['rows'] = [];
  rest.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return; // blank lines people leave at the end
    rows.push({ rowNo: i + 2, cells: cells.map((c) => c.trim()) });
  });
  if (rows.length === 0) throw badRequest('EMPTY_FILE', '文件里除了表头没有数据');
  if (rows.length > maxRows) throw badRequest('TOO_MANY_ROWS', `一次最多导入${maxRows}行，请分成几个文件`);
  return { headers: headerRow.map((h) => h.trim()), rows };
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return cell.text ?? '';
}

async function readXlsx(b: Buffer, maxRows: number): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(b as unknown as ArrayBuffer);
  } catch {
    throw badRequest('UNREADABLE_FILE', '无法读取这个 Excel 文件，请确认它是 .xlsx 格式且没有损坏');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest('EMPTY_FILE', '文件里没有工作表');
  if (sheet.rowCount > maxRows + 1000) throw badRequest('TOO_MANY_ROWS', `一次最多导入${maxRows}行，请分成几个文件`);
  const width = Math.min(sheet.columnCount, 50);
  const records: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c)));
    records.push(cells);
  }
  return tableOf(records, maxRows);
}

/** The first sheet of an XLSX or a CSV file, by its content (the name may lie). */
export async function readTable(b: Buffer, maxRows: number): Promise<Table> {
  if (b.length === 0) throw badRequest('EMPTY_FILE', '文件是空的');
  if (isOldExcel(b)) throw new AppError(415, 'UNSUPPORTED_FILE', '这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再上传');
  if (isZip(b)) return readXlsx(b, maxRows);
  if (b.subarray(0, 4096).includes(0)) throw unsupported(); // binary, not text
  let records: string[][];
  try {
    records = parseCsv(decodeText(b), { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch {
    throw badRequest('UNREADABLE_FILE', 'CSV 文件格式有误（可能有未配对的引号），请在 Excel 中打开检查后另存');
  }
  return tableOf(records, maxRows);
}
