import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';

// A ZIP file written front to back into a stream, for XLSX exports: small entries deflated at
// once, one large entry deflated as its text is produced (sizes and CRC in a data descriptor
// after it, as the format allows), then the central directory. No ZIP64: an entry stays below
// 4 GiB (the sheet XML of ~5 million exported rows); past that the stream fails rather than
// writing a file Excel cannot open.

const LIMIT = 0xffffffff;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const DEFLATE = 8;
const VERSION = 20;

interface Entry {
  name: Buffer;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** MS-DOS date and time fields of an instant (local fields of UTC: ZIP has no time zone). */
function dosDateTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export class ZipWriter {
  /** The ZIP bytes; written only as fast as the reader takes them. */
  readonly out = new PassThrough();
  private readonly entries: Entry[] = [];
  private offset = 0;
  private readonly stamp: { time: number; date: number };

  constructor(
    now: number,
    private readonly level = 1,
  ) {
    this.stamp = dosDateTime(now);
  }

  /** Until the reader has taken what is buffered (or gone away). */
  private async write(bytes: Buffer): Promise<void> {
    this.offset += bytes.length;
    if (this.offset > LIMIT) throw new Error('ZIP larger than 4 GiB');
    if (this.out.write(bytes) || this.out.destroyed) return;
    const done = new AbortController();
    try {
      await Promise.race([once(this.out, 'drain', { signal: done.signal }), once(this.out, 'close', { signal: done.signal })]);
    } finally {
      done.abort();
    }
  }

  private localHeader(e: Entry): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(VERSION, 4);
    h.writeUInt16LE(e.flags, 6);
    h.writeUInt16LE(DEFLATE, 8);
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    // With a data descriptor the three are zero here and follow the data.
    const known = (e.flags & FLAG_DATA_DESCRIPTOR) === 0;
    h.writeUInt32LE(known ? e.crc : 0, 14);
    h.writeUInt32LE(known ? e.compressed : 0, 18);
    h.writeUInt32LE(known ? e.size : 0, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    return Buffer.concat([h, e.name]);
  }

  /** A small entry, deflated in one go. */
  async add(name: string, text: string): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    const deflated = zlib.deflateRawSync(data, { level: this.level });
    const e: Entry = {
      name: Buffer.from(name, 'utf8'),
      flags: FLAG_UTF8,
      crc: zlib.crc32(data),
      compressed: deflated.length,
      size: data.length,
      offset: this.offset,
    };
    this.entries.push(e);
    await this.write(this.localHeader(e));
    await this.write(deflated);
  }

  /**
   * A large entry from text produced piece by piece (each piece a few hundred KB, e.g. a page of
   * rows). Waits for the compressor and the reader after each piece, so at most about one piece
   * is held in memory. Returns false when the reader went away (the caller stops producing).
   */
  async addStreamed(name: string, pieces: AsyncIterable<string | Buffer>): Promise<boolean> {
    const e: Entry = {
      name: Buffer.from(name, 'utf8'),
      flags: FLAG_UTF8 | FLAG_DATA_DESCRIPTOR,
      crc: 0,
      compressed: 0,
      size: 0,
      offset: this.offset,
    };
    this.entries.push(e);
    await this.write(this.localHeader(e));
    const deflate = zlib.createDeflateRaw({ level: this.level });
    let pending: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => pending.push(chunk));
    const forward = async () => {
      const chunks = pending;
      pending = [];
      for (const chunk of chunks) {
        e.compressed += chunk.length;
        await this.write(chunk);
      }
    };
    for await (const piece of pieces) {
      if (this.out.destroyed) {
        deflate.destroy();
        return false;
      }
      const data = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      e.crc = zlib.crc32(data, e.crc);
      e.size += data.length;
      if (e.size > LIMIT) throw new Error('sheet larger than 4 GiB');
      // Wait until zlib has taken this piece: its output is then in `pending` (or on its way).
      await new Promise<void>((resolve, reject) => deflate.write(data, (err) => (err ? reject(err) : resolve())));
      await forward();
    }
    deflate.end();
    await once(deflate, 'end');
    await forward();
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(e.crc >>> 0, 4);
    d.writeUInt32LE(e.compressed, 8);
    d.writeUInt32LE(e.size, 12);
    await this.write(d);
    return !this.out.destroyed;
  }

  /** The central directory and its end record; ends the stream. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(VERSION, 4);
      h.writeUInt16LE(VERSION, 6);
      h.writeUInt16LE(e.flags, 8);
      h.writeUInt16LE(DEFLATE, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc >>> 0, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      // extra, comment, disk, internal attributes, external attributes: zero
      h.writeUInt32LE(e.offset, 42);
      await this.write(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    this.out.end();
  }
}
