/** Aligned text tables that fit a width (80 columns by default) by truncating wide columns. */
import { isStatus, paint } from "./format.ts";

/** One column. */
export interface Column {
  header: string;
  /** Numbers align right (default left). */
  align?: "left" | "right";
  /** Narrowest width this column may be truncated to (default: never truncated). */
  min?: number;
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Total width to fit (default 80). */
  width?: number;
  /** Colour cells holding a status word. */
  color?: boolean;
}

const GAP = "  ";

/** Renders a header line and one line per row, without a trailing newline on the last line. */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const maxWidth = options.width ?? 80;
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => (r[i] ?? "").length))
  );
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (columns.length - 1);
  // Shrink the widest shrinkable column one character at a time until the table fits.
  while (total() > maxWidth) {
    let pick = -1;
    for (let i = 0; i < columns.length; i++) {
      const min = columns[i]!.min;
      if (min === undefined || widths[i]! <= min) continue;
      if (pick < 0 || widths[i]! > widths[pick]!) pick = i;
    }
    if (pick < 0) break;
    widths[pick]!--;
  }
  const line = (cells: readonly string[], header: boolean) =>
    columns.map((c, i) => {
      const w = widths[i]!;
      const text = truncate(cells[i] ?? "", w);
      const padded = c.align === "right" ? text.padStart(w) : text.padEnd(w);
      const last = i === columns.length - 1;
      const out = last && c.align !== "right" ? padded.trimEnd() : padded;
      return !header && options.color && isStatus(text) ? paint(text, out, true) : out;
    }).join(GAP).trimEnd();
  return [line(columns.map((c) => c.header), true), ...rows.map((r) => line(r, false))].join("\n");
}

/** Cuts `text` to `width` characters, ending with "…" when cut. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  return `${text.slice(0, width - 1)}…`;
}
