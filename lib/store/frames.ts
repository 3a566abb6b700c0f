/**
 * Link frames (migration v5): the changed link rows of one version packed into one `link_frames`
 * row, so a cycle writes one row for its links however many changed. A frame is a BLOB of rows,
 * each varint(series id), varint(byte length of the rest) (a reader skips other links' rows in
 * one step), then the LINK_FIELDS values; every value is one self-describing item:
 * varint(k) whose low 2 bits tell the kind: 0 null, 1 integer (zigzag, k = zz * 4 + 1), 2 float64
 * (8 bytes little-endian follow), 3 UTF-8 string (k = length * 4 + 3, bytes follow).
 * Frames carried over from v4 by the SQL migration are TEXT: a JSON array of the same rows.
 */
import type { SQLInputValue } from "node:sqlite";

/** Stored link fields after the series id, in order (as the v4 `link_points` columns). */
export const LINK_FIELDS = [
  "method",
  "active",
  "lag_ms",
  "lag_bytes",
  "lag_xid",
  "pending_send_bytes",
  "retained_wal_bytes",
  "catch_up_ms",
  "conflicts",
  "apply_errors",
  "wal_status",
] as const;

/** Integers whose item (zz * 4 + 1) stays exact in a double. */
const MAX_ITEM_INT = 2 ** 50;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Builds one frame: `add` each changed row, then `bytes()` (null when no row was added). */
export class FrameEncoder {
  #buf = new Uint8Array(4096);
  #len = 0;
  #view = new DataView(this.#buf.buffer);

  /** Appends a row: the series id and its LINK_FIELDS values. */
  add(series: number, values: readonly SQLInputValue[]): void {
    this.#varint(series);
    // the values first, after room for a 2-byte length (moved when it takes 1 or more than 2)
    const start = this.#len + 2;
    this.#room(2);
    this.#len = start;
    for (const v of values) this.#item(v);
    const size = this.#len - start;
    const lenBytes = size < 128 ? 1 : size < 16384 ? 2 : Math.ceil(Math.log2(size + 1) / 7);
    if (lenBytes !== 2) {
      this.#room(lenBytes);
      this.#buf.copyWithin(start - 2 + lenBytes, start, start + size);
    }
    this.#len = start - 2;
    this.#varint(size);
    this.#len += size;
  }

  /** Empties the frame (the buffer is kept for the next cycle). */
  reset(): void {
    this.#len = 0;
  }

  /** The frame's bytes (a copy), or null when empty. */
  bytes(): Uint8Array | null {
    return this.#len === 0 ? null : this.#buf.slice(0, this.#len);
  }

  #item(v: SQLInputValue): void {
    this.#room(16);
    if (v === null) this.#varint(0);
    else if (typeof v === "number" && Number.isInteger(v) && Math.abs(v) < MAX_ITEM_INT) {
      this.#varint((v < 0 ? -2 * v - 1 : 2 * v) * 4 + 1);
    } else if (typeof v === "number") {
      this.#varint(2);
      this.#view.setFloat64(this.#len, v, true);
      this.#len += 8;
    } else if (typeof v === "string") {
      const b = utf8.encode(v);
      this.#varint(b.length * 4 + 3);
      this.#room(b.length);
      this.#buf.set(b, this.#len);
      this.#len += b.length;
    } else throw new TypeError(`Unsupported link value ${typeof v}`);
  }

  /** Unsigned LEB128 with arithmetic (values above 2^31 stay exact). */
  #varint(n: number): void {
    while (n >= 128) {
      this.#buf[this.#len++] = (n % 128) + 128;
      n = Math.floor(n / 128);
    }
    this.#buf[this.#len++] = n;
  }

  #room(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

/** One decoded row: the series and its values by LINK_FIELDS name. */
export type FrameRow = Record<string, unknown> & { series: number };

/** The rows of a stored frame (BLOB or v4 JSON TEXT) whose series is in `wanted`. */
export function decodeFrame(data: unknown, wanted: ReadonlySet<number>): FrameRow[] {
  const out: FrameRow[] = [];
  if (typeof data === "string") {
    for (const r of JSON.parse(data) as unknown[][]) {
      if (wanted.has(r[0] as number)) out.push(row(r[0] as number, (i) => r[i + 1]));
    }
    return out;
  }
  if (!(data instanceof Uint8Array)) throw new TypeError("Link frame is not a BLOB");
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 0;
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = data[p++]!;
      if (p > data.length) throw new RangeError("Truncated link frame");
      n += (b & 127) * scale;
      if (b < 128) return n;
      scale *= 128;
    }
  };
  const item = (): unknown => {
    const k = varint();
    switch (k % 4) {
      case 1: {
        const zz = (k - 1) / 4;
        return zz % 2 === 0 ? zz / 2 : -(zz + 1) / 2;
      }
      case 2: {
        const f = view.getFloat64(p, true);
        p += 8;
        return f;
      }
      case 3: {
        const len = (k - 3) / 4;
        const s = fromUtf8.decode(data.subarray(p, p + len));
        p += len;
        return s;
      }
      default:
        return null;
    }
  };
  const values: unknown[] = new Array(LINK_FIELDS.length);
  while (p < data.length) {
    const series = varint();
    const size = varint();
    if (!wanted.has(series)) {
      p += size;
      continue;
    }
    const end = p + size;
    for (let i = 0; i < LINK_FIELDS.length; i++) values[i] = p < end ? item() : null;
    if (p !== end) throw new RangeError("Malformed link frame");
    out.push(row(series, (i) => values[i]));
  }
  if (p !== data.length) throw new RangeError("Truncated link frame");
  return out;
}

function row(series: number, value: (i: number) => unknown): FrameRow {
  const r: FrameRow = { series };
  LINK_FIELDS.forEach((name, i) => r[name] = value(i) ?? null);
  return r;
}
