/**
 * Version numbering that survives restarts whatever the history's state: a small file beside the
 * SQLite database (`<database.path>-version`) records the last published version, so a version is
 * never published twice, also when the history cannot be written (full disk, read-only file).
 *
 * The record has a fixed size and is overwritten in place, so recording a version needs no new
 * disk block: it works on a full filesystem. Each publish overwrites it in the page cache (a
 * process crash, kill -9 included, loses nothing); every `block` versions a reservation of the
 * next `block` is written and synced first, so after an OS crash or a reboot (page cache lost) the
 * next run starts above every version the previous one can have published. A clean close syncs
 * the exact last version: the next run continues at +1.
 */

/** Options of {@link VersionLease.open}. */
export interface VersionLeaseOptions {
  /** Versions reserved (and synced to disk) at a time (default 100). */
  block?: number;
  /**
   * Epoch ms the OS booted; null when unknown. Tells a process restart (page cache intact: continue
   * at the last published version + 1) from a reboot (continue above the synced reservation).
   * Default: from `Deno.osUptime()` (needs --allow-sys=osUptime), else null.
   */
  bootTimeMs?: number | null;
}

/** What the file holds (JSON, space-padded to {@link RECORD_BYTES}). */
interface LeaseRecord {
  /** Last version published. */
  published: number;
  /** Highest version that may have been published (synced to disk before any above it). */
  reserved: number;
  /** Epoch ms the OS had booted when `published` was written (null when unknown). */
  boot: number | null;
}

/** Size of the record on disk: one sector, written at offset 0. */
export const RECORD_BYTES = 256;
/** Two boot times this close are the same boot (osUptime has 1 s resolution; clocks drift). */
const SAME_BOOT_MS = 10_000;
const encoder = new TextEncoder();

/** The lease file's path for a database path (`:memory:` keeps the lease in memory). */
export function leasePath(databasePath: string): string | null {
  return databasePath === ":memory:" ? null : `${databasePath}-version`;
}

/** When the OS booted (epoch ms), or null when it cannot be read. */
export function bootTimeMs(): number | null {
  try {
    return Date.now() - Deno.osUptime() * 1000;
  } catch {
    return null;
  }
}

/** The durable last-published version; see the module comment. */
export class VersionLease implements Disposable {
  readonly #file: Deno.FsFile | null;
  readonly #path: string | null;
  readonly #block: number;
  readonly #boot: number | null;
  #published: number;
  #reserved: number;
  /** Versions up to this one may have been published by an earlier run: continue above it. */
  readonly floor: number;

  private constructor(
    file: Deno.FsFile | null,
    path: string | null,
    floor: number,
    reserved: number,
    opts: { block: number; boot: number | null },
  ) {
    this.#file = file;
    this.#path = path;
    this.floor = floor;
    this.#published = floor;
    this.#reserved = reserved;
    this.#block = opts.block;
    this.#boot = opts.boot;
  }

  /**
   * Opens (creating it if missing) the lease at `path` (null: in memory). Throws an Error naming
   * the file when it cannot be read, parsed or written: numbering must not start blind.
   */
  static open(path: string | null, opts: VersionLeaseOptions = {}): VersionLease {
    const block = Math.max(1, Math.floor(opts.block ?? 100));
    const boot = opts.bootTimeMs === undefined ? bootTimeMs() : opts.bootTimeMs;
    if (path === null) return new VersionLease(null, null, 0, 0, { block, boot });
    let file: Deno.FsFile | null = null;
    try {
      const previous = readRecord(path);
      const sameBoot = previous !== null && previous.boot !== null && boot !== null &&
        Math.abs(previous.boot - boot) <= SAME_BOOT_MS;
      const floor = previous === null
        ? 0
        : sameBoot
        ? previous.published
        : Math.max(previous.published, previous.reserved);
      file = Deno.openSync(path, { read: true, write: true, create: true });
      const lease = new VersionLease(file, path, floor, Math.max(floor, previous?.reserved ?? 0), {
        block,
        boot,
      });
      lease.#write(true);
      return lease;
    } catch (err) {
      file?.close();
      throw new Error(`Cannot open version lease "${path}": ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Last version recorded as published (the floor before the first publish). */
  get published(): number {
    return this.#published;
  }

  /**
   * Records `version` as published, before it is shown to anyone. Past the reservation, first
   * reserves the next block and syncs it. Throws a RangeError when `version` is not above the last
   * one, an Error naming the file when the write fails.
   */
  publish(version: number): void {
    if (!Number.isSafeInteger(version) || version <= this.#published) {
      throw new RangeError(`Version ${version} is not above the last published ${this.#published}`);
    }
    const extend = version > this.#reserved;
    const reserved = this.#reserved;
    this.#published = version;
    if (extend) this.#reserved = version + this.#block - 1;
    try {
      this.#write(extend);
    } catch (err) {
      if (extend) this.#reserved = reserved; // not durable: extend again next time
      throw new Error(`Cannot write version lease "${this.#path}": ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Syncs the exact last version (the next run continues at +1) and closes the file. */
  close(): void {
    if (this.#file === null) return;
    try {
      this.#reserved = this.#published;
      this.#write(true);
    } catch {
      // The synced reservation still bounds what was published: the next run starts above it.
    } finally {
      this.#file.close();
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #write(sync: boolean): void {
    const file = this.#file;
    if (file === null) return;
    const record: LeaseRecord = {
      published: this.#published,
      reserved: this.#reserved,
      boot: this.#boot,
    };
    const bytes = new Uint8Array(RECORD_BYTES).fill(0x20);
    bytes.set(encoder.encode(JSON.stringify(record)));
    bytes[RECORD_BYTES - 1] = 0x0a;
    file.seekSync(0, Deno.SeekMode.Start);
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    if (sync) file.syncDataSync();
  }
}

/** The record at `path`, null when the file does not exist or is empty. */
function readRecord(path: string): LeaseRecord | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
  if (text.trim() === "") return null;
  let record: Partial<LeaseRecord>;
  try {
    record = JSON.parse(text);
  } catch {
    throw new SyntaxError("unreadable record (move the file aside only with the database)");
  }
  const int = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!int(record.published) || !int(record.reserved)) {
    throw new SyntaxError("record without published/reserved versions");
  }
  return {
    published: record.published!,
    reserved: record.reserved!,
    boot: typeof record.boot === "number" ? record.boot : null,
  };
}
