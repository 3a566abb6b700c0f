/// <reference lib="dom" />
/** Node cards, keyed by node name and updated in place (focus and selection survive updates). */
import type { NodeState, Snapshot } from "../../sdk/mod.ts";
import { badge, h, setAttr, setBadge, setText } from "./dom.ts";
import { fmtBool, fmtBytes, fmtMs, fmtNumber, fmtSeconds } from "./format.ts";
import type { LagHistory } from "./series.ts";
import { drawSparkline, newSparkline } from "./view_spark.ts";

/** The facts each card lists, in order: label and how to read it from the node. */
const FACTS: [string, (n: NodeState) => string][] = [
  ["Lag", (n) => `${fmtSeconds(n.metrics.lag_seconds)} \u00b7 ${fmtBytes(n.metrics.lag_bytes)}`],
  ["Conflicts/min", (n) => fmtNumber(n.metrics.conflicts_per_minute)],
  ["Apply", (n) => fmtBool(n.metrics.apply_paused, "paused", "running")],
  ["Walsenders in", (n) => fmtBool(n.metrics.walsender_active, "all active", "not all active")],
  ["pgactive", (n) => n.metrics.pgactive_version ?? "n/a"],
  ["Retained WAL", (n) => fmtBytes(n.metrics.retained_wal_bytes)],
  ["Probe", (n) => fmtMs(n.metrics.probe_ms)],
];

interface Card {
  root: HTMLElement;
  badge: HTMLElement;
  reasons: HTMLUListElement;
  facts: HTMLElement[];
  spark: SVGSVGElement;
  caption: HTMLElement;
}

/** The cards inside `container`. */
export class NodeCards {
  #container: HTMLElement;
  #cards = new Map<string, Card>();

  constructor(container: HTMLElement) {
    this.#container = container;
  }

  /** Shows `s`: adds, updates and removes cards. */
  update(s: Snapshot, history: LagHistory, nowMs: number): void {
    const names = Object.keys(s.nodes);
    for (const [name, card] of this.#cards) {
      if (!(name in s.nodes)) {
        card.root.remove();
        this.#cards.delete(name);
      }
    }
    names.forEach((name, i) => {
      const node = s.nodes[name]!;
      let card = this.#cards.get(name);
      if (!card) {
        card = newCard(name, i);
        this.#cards.set(name, card);
      }
      if (this.#container.children[i] !== card.root) {
        this.#container.insertBefore(card.root, this.#container.children[i] ?? null);
      }
      paintCard(card, node);
      this.drawHistory(name, history, nowMs);
    });
  }

  /** Redraws one node's sparkline. */
  drawHistory(name: string, history: LagHistory, nowMs: number): void {
    const card = this.#cards.get(name);
    if (!card) return;
    const series = history.series(name);
    const { spanMs, worst } = drawSparkline(card.spark, name, series, nowMs);
    const missing = series.missing();
    setText(
      card.caption,
      `Lag, last ${fmtSeconds(Math.round(spanMs / 1000))}` +
        (worst === null ? "" : `: worst ${fmtSeconds(worst)}`) +
        (missing > 0 ? ` (history misses ${missing} versions)` : ""),
    );
  }
}

function newCard(name: string, i: number): Card {
  const id = `node-${i}-${name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const b = badge("UNKNOWN");
  const reasons = h("ul", { class: "reasons" });
  const facts = FACTS.map(() => h("dd"));
  const dl = h("dl", { class: "facts" });
  FACTS.forEach(([label], j) => dl.append(h("div", {}, h("dt", {}, label), facts[j]!)));
  const spark = newSparkline();
  const caption = h("figcaption", {}, "Lag history");
  const root = h(
    "article",
    { class: "card", "data-node": name, "aria-labelledby": `${id}-h` },
    h("header", {}, h("h3", { id: `${id}-h` }, name), b),
    reasons,
    dl,
    h("figure", { class: "history" }, spark, caption),
  );
  return { root, badge: b, reasons, facts, spark, caption };
}

function paintCard(card: Card, node: NodeState): void {
  setAttr(card.root, "data-status", node.status);
  setBadge(card.badge, node.status);
  const reasons = node.reasons.length > 0
    ? node.reasons
    : node.status === "HEALTHY"
    ? ["Every inbound link is caught up"]
    : [];
  const items = [...card.reasons.children];
  reasons.forEach((r, i) => {
    const li = items[i] ?? card.reasons.appendChild(h("li"));
    setText(li, r);
  });
  for (const li of items.slice(reasons.length)) li.remove();
  setAttr(card.reasons, "data-ok", String(node.reasons.length === 0));
  FACTS.forEach(([, read], j) => setText(card.facts[j]!, read(node)));
}
