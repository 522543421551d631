import ExcelJS from 'exceljs';
import type { Cell } from './domain';
import type { ExportSource } from './source';
import { columnLetters, escapeXml, xlsxStream } from './xlsx';

function sourceOf(pages: Cell[][][], onPage: () => void = () => {}): ExportSource {
  return {
    fileName: 'x',
    sheetName: '代办明细',
    columns: [{ header: '编号', width: 26 }, { header: '文字' }, { header: '数' }, { header: '空' }],
    async *pages() {
      for (const page of pages) {
        onPage();
        yield page;
      }
    },
  };
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('the hand-written XLSX writer', () => {
  it('names columns past Z as Excel does', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(escapeXml('a&b<c>"d"\u0001e')).toBe('a&amp;b&lt;c&gt;&quot;d&quot;e');
  });

  it('writes a file exceljs reads back cell for cell: text to escape, spaces, numbers, empty cells', async () => {
    const rows: Cell[][] = Array.from({ length: 3_000 }, (_, i) => [
      `E${i}`,
      i % 3 === 0 ? `<王&李> "${i}"\u0007` : i % 3 === 1 ? `  3号楼 ${i} ` : '=HYPERLINK("x")',
      i,
      i % 2 ? null : '',
    ]);
    const pages = Array.from({ length: 6 }, (_, p) => rows.slice(p * 500, p * 500 + 500));
    const file = await bytesOf(xlsxStream(sourceOf(pages)));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('代办明细');
    expect(sheet.rowCount).toBe(3_001);
    expect(sheet.getRow(1).values).toEqual([undefined, '编号', '文字', '数', '空']);
    for (const i of [0, 1, 2, 1_234, 2_999]) {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(1).value).toBe(`E${i}`);
      expect(row.getCell(2).value).toBe(String(rows[i]![1]).replace('\u0007', ''));
      expect(row.getCell(3).value).toBe(i);
      expect(row.getCell(4).value).toBeNull();
    }
    expect(sheet.getColumn(1).width).toBe(26);
  });

  it('reads the next page only as the reader takes the file', async () => {
    let pagesRead = 0;
    const page: Cell[][] = Array.from({ length: 500 }, (_, i) => [`E${i}`, `随机文字 ${Math.random()}`, i, null]);
    const stream = xlsxStream(sourceOf(new Array<Cell[][]>(200).fill(page), () => pagesRead++));
    const chunks = stream[Symbol.asyncIterator]();
    await chunks.next();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pagesRead).toBeLessThan(20);
    let size = 0;
    for (let c = await chunks.next(); !c.done; c = await chunks.next()) size += (c.value as Buffer).length;
    expect(pagesRead).toBe(200);
    expect(size).toBeGreaterThan(100_000);
  });
});
