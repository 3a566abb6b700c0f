/// <reference lib="dom" />
/**
 * The N x N link matrix (rows: origin, columns: target), coloured by link status with a glyph and
 * a screen-reader sentence per cell; a cell is a button that shows the link's details below.
 */
import type { Link, Snapshot } from "../../sdk/mod.ts";
import { badge, h, setAttr, setText, STATUS_GLYPH } from "./dom.ts";
import { fmtBool, fmtBytes, fmtNumber, fmtSeconds } from "./format.ts";
import { linkStatus, type LinkVerdict } from "./link_status.ts";

interface Cell {
  td: HTMLTableCellElement;
  button: HTMLButtonElement;
  glyph: HTMLElement;
  lag: HTMLElement;
  bytes: HTMLElement;
  meta: HTMLElement;
  sr: HTMLElement;
}

/** The matrix in `table`, details in `detail`. */
export class LinkMatrix {
  #table: HTMLTableElement;
  #detail: HTMLElement;
  #names = "";
  #cells = new Map<string, Cell>();
  #selected: string | null = null;
  #last: Snapshot | null = null;

  constructor(table: HTMLTableElement, detail: HTMLElement) {
    this.#table = table;
    this.#detail = detail;
  }

  /** Shows `s` (the table is rebuilt only when the set of nodes changes). */
  update(s: Snapshot): void {
    this.#last = s;
    const names = Object.keys(s.nodes);
    if (names.join("\n") !== this.#names) this.#build(names);
    const links = new Map(s.links.map((l) => [key(l.from, l.to), l]));
    for (const [k, cell] of this.#cells) {
      const link = links.get(k);
      paintCell(cell, s, link ?? null, k);
    }
    this.#paintDetail();
  }

  #build(names: string[]): void {
    this.#names = names.join("\n");
    this.#cells.clear();
    const head = h("tr", {}, h("td", { class: "corner" }, h("span", {}, "from \u2193 to \u2192")));
    for (const to of names) head.append(h("th", { scope: "col" }, to));
    const body = h("tbody");
    for (const from of names) {
      const row = h("tr", {}, h("th", { scope: "row" }, from));
      for (const to of names) {
        if (from === to) {
          row.append(h("td", { class: "self" }, h("span", { class: "sr-only" }, "same node")));
          continue;
        }
        row.append(this.#newCell(from, to));
      }
      body.append(row);
    }
    this.#table.replaceChildren(
      h("caption", {}, "Replication links: each row is an origin, each column a target"),
      h("thead", {}, head),
      body,
    );
  }

  #newCell(from: string, to: string): HTMLTableCellElement {
    const k = key(from, to);
    const glyph = h("span", { class: "glyph", "aria-hidden": "true" });
    const lag = h("span", { class: "lag" });
    const bytes = h("span", { class: "bytes" });
    const meta = h("span", { class: "meta" });
    const sr = h("span", { class: "sr-only" });
    const button = h(
      "button",
      { type: "button", class: "cell", "aria-pressed": "false", "aria-controls": "link-detail" },
      glyph,
      sr,
      lag,
      bytes,
      meta,
    );
    button.addEventListener("click", () => {
      this.#selected = this.#selected === k ? null : k;
      for (const [other, c] of this.#cells) {
        setAttr(c.button, "aria-pressed", String(other === this.#selected));
      }
      this.#paintDetail();
    });
    const td = h("td", { "data-from": from, "data-to": to }, button);
    this.#cells.set(k, { td, button, glyph, lag, bytes, meta, sr });
    return td;
  }

  #paintDetail(): void {
    const s = this.#last;
    const link = s && this.#selected
      ? s.links.find((l) => key(l.from, l.to) === this.#selected)
      : undefined;
    if (!s || !link) {
      this.#detail.hidden = true;
      this.#detail.replaceChildren();
      return;
    }
    this.#detail.hidden = false;
    const v = linkStatus(s, link);
    const rows: [string, string][] = [
      ["Lag", `${fmtSeconds(link.lag_seconds)} (${link.lag_method.replaceAll("_", " ")})`],
      ["Lag bytes / xids", `${fmtBytes(link.lag_bytes)} / ${fmtNumber(link.lag_xid)}`],
      ["Caught up", fmtBool(link.caught_up)],
      ["Catch-up estimate", fmtSeconds(link.catch_up_seconds)],
      ["Walsender", walsender(link)],
      ["WAL status", link.wal_status ?? "n/a"],
      ["Retained WAL", fmtBytes(link.retained_wal_bytes)],
      ["Not yet sent", fmtBytes(link.pending_send_bytes)],
      ["Apply on target", fmtBool(link.apply_paused, "paused", "running")],
      [
        "Conflicts / apply errors",
        `${fmtNumber(link.conflicts)} / ${fmtNumber(link.apply_errors)}`,
      ],
      ["Sent / write / flush / replay", lsns(link)],
    ];
    const dl = h("dl", { class: "facts" });
    for (const [dt, dd] of rows) dl.append(h("div", {}, h("dt", {}, dt), h("dd", {}, dd)));
    this.#detail.replaceChildren(h("h3", {}, `${link.from} \u2192 ${link.to} `, badge(v.status)));
    if (v.reasons.length) {
      this.#detail.append(h("ul", { class: "reasons" }, ...v.reasons.map((r) => h("li", {}, r))));
    }
    this.#detail.append(dl);
  }
}

function key(from: string, to: string): string {
  return `${from}\n${to}`;
}

function walsender(l: Link): string {
  return l.active === null ? "n/a" : l.active ? "streaming" : "inactive";
}

function lsns(l: Link): string {
  return [l.sent_lsn, l.write_lsn, l.flush_lsn, l.replay_lsn].map((x) => x ?? "n/a").join(" / ");
}

function paintCell(cell: Cell, s: Snapshot, link: Link | null, k: string): void {
  const [from, to] = k.split("\n") as [string, string];
  const v: LinkVerdict = link ? linkStatus(s, link) : { status: "UNKNOWN", reasons: [] };
  setAttr(cell.td, "data-status", v.status);
  setText(cell.glyph, STATUS_GLYPH[v.status] ?? "?");
  if (!link) {
    setText(cell.lag, "no link");
    setText(cell.bytes, "");
    setText(cell.meta, "");
    setText(cell.sr, `${from} to ${to}: no link reported, `);
    cell.button.title = "";
    return;
  }
  setText(cell.lag, fmtSeconds(link.lag_seconds));
  setText(cell.bytes, fmtBytes(link.lag_bytes));
  setText(cell.meta, `${walsender(link)} \u00b7 ${link.wal_status ?? "n/a"}`);
  setText(cell.sr, `${from} to ${to}: ${v.status}, lag `);
  const title = v.reasons.join("\n");
  if (cell.button.title !== title) cell.button.title = title;
}
