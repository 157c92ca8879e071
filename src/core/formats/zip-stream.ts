/**
 * A streaming ZIP writer (the format's pieces are in zip.ts): each entry's bytes go to the sink as
 * they are made, and its local header, written first with blank sizes, is patched once its CRC and
 * size are known.
 * So a large export becomes a ZIP with memory holding one chunk, on any sink that can rewrite
 * bytes it already has (a File System Access writable, or a list of Blob parts).
 */
import { MAX_ENTRIES, ZIP_MAX_BYTES, checkName, crc32, dosDateTime, endOfDirectory, header, tooLarge, type Prepared } from './zip';

export interface ZipSink {
  /** Appends bytes at the end of what is written so far. */
  write(data: Uint8Array<ArrayBuffer>): Promise<unknown> | unknown;
  /** Overwrites bytes already written, starting at `position`; never changes the length. */
  patch(position: number, data: Uint8Array<ArrayBuffer>): Promise<unknown> | unknown;
}

export class ZipWriter {
  private readonly when: { time: number; date: number };
  private readonly names = new Set<string>();
  private readonly entries: Prepared[] = [];
  private current: Prepared | null = null;
  private offset = 0;

  constructor(
    private readonly sink: ZipSink,
    date: Date = new Date(),
  ) {
    this.when = dosDateTime(date);
  }

  /** Starts an entry; the previous one must have been ended. */
  async begin(name: string): Promise<void> {
    if (this.current) throw new Error(`ZIP entry "${name}" started before the previous one ended`);
    if (this.entries.length >= MAX_ENTRIES) throw new Error(`a ZIP holds at most ${MAX_ENTRIES} files without ZIP64`);
    const entry: Prepared = { name: checkName(name, this.names), size: 0, crc: 0, offset: this.offset };
    this.current = entry;
    await this.put(header(entry, this.when, false));
  }

  /** Appends data to the current entry. */
  async write(data: Uint8Array<ArrayBuffer>): Promise<void> {
    const entry = this.current;
    if (!entry) throw new Error('ZIP data written outside an entry');
    if (entry.size + data.length > ZIP_MAX_BYTES) throw tooLarge('A file of the export', entry.size + data.length);
    entry.crc = crc32(data, entry.crc);
    entry.size += data.length;
    await this.put(data);
  }

  /** Ends the current entry: its local header gets the real CRC and sizes. */
  async end(): Promise<void> {
    const entry = this.current;
    if (!entry) throw new Error('no ZIP entry to end');
    this.current = null;
    this.entries.push(entry);
    await this.sink.patch(entry.offset, header(entry, this.when, false));
  }

  /** Writes the central directory; returns the archive's size in bytes. */
  async finish(): Promise<number> {
    if (this.current) await this.end();
    const start = this.offset;
    for (const entry of this.entries) await this.put(header(entry, this.when, true));
    await this.put(endOfDirectory(this.entries.length, this.offset - start, start));
    return this.offset;
  }

  private async put(data: Uint8Array<ArrayBuffer>): Promise<void> {
    if (this.offset + data.length > ZIP_MAX_BYTES) throw tooLarge('The archive', this.offset + data.length);
    await this.sink.write(data);
    this.offset += data.length;
  }
}
