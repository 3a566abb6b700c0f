/// <reference lib="dom" />
/** The conflict feed: the newest stored conflicts first (from /conflicts). */
import type { ConflictRecord } from "../../sdk/mod.ts";
import { h } from "./dom.ts";
import { fmtTime } from "./format.ts";

/** Shows `rows` (oldest first, as /conflicts returns them) newest first, or `error`. */
export function paintFeed(
  list: HTMLOListElement,
  note: HTMLElement,
  rows: readonly ConflictRecord[] | null,
  error: string | null,
): void {
  if (error !== null) {
    note.textContent = `Conflict history unavailable: ${error}`;
    list.replaceChildren();
    return;
  }
  const items = [...(rows ?? [])].reverse();
  note.textContent = items.length === 0
    ? "No conflict recorded."
    : `The ${items.length} most recent conflicts, newest first.`;
  list.replaceChildren(...items.map(item));
}

function item(c: ConflictRecord): HTMLLIElement {
  const table = c.object_name === null
    ? "an unknown table"
    : `${c.object_schema ? `${c.object_schema}.` : ""}${c.object_name}`;
  return h(
    "li",
    { "data-node": c.node },
    h(
      "time",
      { datetime: c.local_conflict_time, title: c.local_conflict_time },
      fmtTime(c.local_conflict_time),
    ),
    " ",
    h("strong", {}, c.conflict_type),
    ` on ${table}: ${c.node} \u2190 ${c.remote_node ?? "unknown origin"}, ` +
      c.conflict_resolution.replaceAll("_", " "),
    c.error_message
      ? h("span", { class: "err" }, ` (${c.error_sqlstate ?? "error"}: ${c.error_message})`)
      : null,
  );
}
