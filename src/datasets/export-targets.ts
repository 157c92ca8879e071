/**
 * Where an export's files go. With the File System Access API the user picks a folder (separate
 * files) or a .zip file and chunks are written straight to disk; elsewhere each chunk becomes a
 * Blob part (kept by the browser, outside the JS heap) and the file is downloaded at the end.
 * Either way no file is ever held as one string.
 */
import { ZipWriter, type ZipSink } from '../core/formats/zip-stream';
import { downloadBlob } from './save-file';

/** One file being written. `write` resolves with the bytes it added. */
export interface FileOut {
  /** Text is encoded here; bytes (an export's chunks, encoded where they were made) are written as they are. */
  write(chunk: string | Uint8Array<ArrayBuffer>): Promise<number>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

export interface ExportTarget {
  /** Opens the next file; the previous one must be closed. */
  file(name: string): Promise<FileOut>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/* Chromium's File System Access API, which TypeScript's DOM library does not declare yet. */
interface PickerWindow {
  showSaveFilePicker?(options: { suggestedName: string; types?: { description: string; accept: Record<string, string[]> }[] }): Promise<FileSystemFileHandle>;
  showDirectoryPicker?(options: { mode: 'readwrite'; id?: string }): Promise<FileSystemDirectoryHandle>;
}
type Writable = FileSystemWritableFileStream;

/**
 * UTF-8 encoding into one reused buffer: TextEncoder.encode allocates a fresh buffer per chunk,
 * which costs several times the encoding itself. A view is valid until the next call, so every
 * consumer copies it (a Blob) or waits for its write to finish before encoding the next chunk.
 */
export class ChunkEncoder {
  private readonly encoder = new TextEncoder();
  private buffer = new Uint8Array(0);

  encode(text: string): Uint8Array<ArrayBuffer> {
    if (this.buffer.length < text.length * 3) this.buffer = new Uint8Array(Math.max(text.length * 3, 1 << 16));
    const { written } = this.encoder.encodeInto(text, this.buffer);
    return this.buffer.subarray(0, written);
  }
}

/**
 * A FileOut's `write` over `put`: encodes the chunk and answers with its bytes. `put` must be done
 * with the bytes when it resolves, since the encoder reuses its buffer for the next chunk.
 */
function encodedWrite(put: (bytes: Uint8Array<ArrayBuffer>) => unknown, encoder = new ChunkEncoder()): FileOut['write'] {
  return async (chunk) => {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    await put(bytes);
    return bytes.length;
  };
}

const picker = (): PickerWindow => (typeof window === 'undefined' ? {} : (window as unknown as PickerWindow));

/** Whether the browser can write files where the user chooses (Chromium-based browsers). */
export function canPickFiles(): boolean {
  const w = picker();
  return typeof w.showSaveFilePicker === 'function' && typeof w.showDirectoryPicker === 'function';
}

const TYPES: Record<string, string> = { jsonl: 'application/jsonl', md: 'text/markdown', zip: 'application/zip' };
const typeOf = (name: string) => TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

/** Chunks as Blob parts, handed to `done` as one Blob when closed. */
function blobFile(name: string, done: (name: string, blob: Blob) => void): FileOut {
  let parts: Blob[] = [];
  return {
    write: encodedWrite((bytes) => parts.push(new Blob([bytes]))),
    async close() {
      done(name, new Blob(parts, { type: typeOf(name) }));
      parts = [];
    },
    async abort() {
      parts = [];
    },
  };
}

function writableFile(writable: Writable): FileOut {
  return {
    write: encodedWrite((bytes) => writable.write(bytes)),
    close: () => writable.close(),
    abort: () => writable.abort(),
  };
}

/** Separate files, each downloaded when complete (or handed to `sink`, for tests and the benchmark). */
export function downloadsTarget(sink: (name: string, blob: Blob) => void = downloadBlob): ExportTarget {
  let open: FileOut | null = null;
  return {
    async file(name) {
      return (open = blobFile(name, sink));
    },
    async finish() {},
    async abort() {
      await open?.abort();
    },
  };
}

/**
 * Separate files in a folder of their own (`folder`) inside the one the user picks, so each export
 * has its own README.md at the folder's root, as the Hub wants. Call from the click handler: the
 * picker needs the gesture.
 */
export async function folderTarget(folder: string): Promise<ExportTarget> {
  const parent = await picker().showDirectoryPicker!({ mode: 'readwrite', id: 'cai-lab-exports' });
  return directoryTarget(await parent.getDirectoryHandle(folder, { create: true }));
}

/** Separate files written into a directory, each straight to disk as it is made. */
export function directoryTarget(dir: Pick<FileSystemDirectoryHandle, 'getFileHandle'>): ExportTarget {
  let open: FileOut | null = null;
  return {
    async file(name) {
      const handle = await dir.getFileHandle(name, { create: true });
      return (open = writableFile(await handle.createWritable()));
    },
    async finish() {},
    async abort() {
      await open?.abort().catch(() => undefined);
    },
  };
}

/** A ZIP sink over Blob parts: headers stay small byte arrays so they can be patched in place. */
class BlobZipSink implements ZipSink {
  parts: (Uint8Array<ArrayBuffer> | Blob)[] = [];
  private at = new Map<number, number>();
  private size = 0;
  write(data: Uint8Array<ArrayBuffer>) {
    this.at.set(this.size, this.parts.length);
    // Copied either way: the writer may reuse its buffer. Small parts (headers) stay patchable bytes.
    this.parts.push(data.length > 4096 ? new Blob([data]) : data.slice());
    this.size += data.length;
  }
  patch(position: number, data: Uint8Array<ArrayBuffer>) {
    const i = this.at.get(position);
    const old = i === undefined ? undefined : this.parts[i];
    if (i === undefined || !(old instanceof Uint8Array) || old.length !== data.length) throw new Error(`cannot patch the ZIP at ${position}`);
    this.parts[i] = data;
  }
}

class WritableZipSink implements ZipSink {
  private size = 0;
  constructor(private readonly writable: Writable) {}
  async write(data: Uint8Array<ArrayBuffer>) {
    await this.writable.write(data);
    this.size += data.length;
  }
  async patch(position: number, data: Uint8Array<ArrayBuffer>) {
    await this.writable.write({ type: 'write', position, data });
    await this.writable.seek(this.size);
  }
}

/** Every file as an entry of one .zip, streamed into `sink`. */
function zipTarget(sink: ZipSink, done: () => Promise<void>, abort: () => Promise<void>): ExportTarget {
  const zip = new ZipWriter(sink);
  const encoder = new ChunkEncoder();
  return {
    async file(name) {
      await zip.begin(name);
      return {
        write: encodedWrite((bytes) => zip.write(bytes), encoder),
        close: () => zip.end(),
        abort,
      };
    },
    async finish() {
      await zip.finish();
      await done();
    },
    abort,
  };
}

/** A .zip downloaded at the end (or handed to `sink`). */
export function zipDownloadTarget(name: string, sink: (name: string, blob: Blob) => void = downloadBlob): ExportTarget {
  const blobs = new BlobZipSink();
  const done = async () => sink(name, new Blob(blobs.parts, { type: 'application/zip' }));
  return zipTarget(blobs, done, async () => void (blobs.parts = []));
}

/** A .zip written where the user picks. Call from the click handler: the picker needs the gesture. */
export async function zipFileTarget(name: string): Promise<ExportTarget> {
  const handle = await picker().showSaveFilePicker!({ suggestedName: name, types: [{ description: 'ZIP archive', accept: { 'application/zip': ['.zip'] } }] });
  return zipWritableTarget(await handle.createWritable());
}

/** A .zip streamed into a writable file, its local headers patched in place once each entry ends. */
export function zipWritableTarget(writable: Writable): ExportTarget {
  return zipTarget(new WritableZipSink(writable), () => writable.close(), () => writable.abort().catch(() => undefined));
}
