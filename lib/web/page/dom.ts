/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Minimal DOM helpers: elements are built with text nodes only (never innerHTML), so nothing the
 * server sends (node names, reasons, error messages) can become markup.
 */

/** Attribute values; `false`/`undefined` omit the attribute, `true` sets it empty. */
export type Attrs = Record<string, string | number | boolean | undefined>;

/** A child: an element, a text (string), or nothing. */
export type Child = Node | string | null | undefined | false;

/** Creates an HTML element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** Creates an SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
): SVGElementTagNameMap[K] {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  setAttrs(el, attrs);
  return el;
}

/** Sets (or removes) attributes. */
export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) el.removeAttribute(k);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

/** Appends children. */
export function append(el: Element, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
}

/** Sets the text of `el` when it differs (no needless mutation, no lost selection). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** Sets an attribute when it differs. */
export function setAttr(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** The element with `id` (throws when the page lacks it: a build mistake). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no element #${id}`);
  return el as T;
}

/** Glyph shown beside each status word, so colour is never the only cue. */
export const STATUS_GLYPH: Record<string, string> = {
  HEALTHY: "\u2713",
  DEGRADED: "\u25B2",
  CRITICAL: "\u2716",
  DOWN: "\u25A0",
  UNKNOWN: "?",
};

/** A status badge: glyph (hidden from screen readers) + status word. */
export function badge(status: string, extra = ""): HTMLSpanElement {
  return h(
    "span",
    { class: `badge ${extra}`.trim(), "data-status": status },
    h("span", { class: "glyph", "aria-hidden": "true" }, STATUS_GLYPH[status] ?? "?"),
    h("span", { class: "word" }, status),
  );
}

/** Updates a badge made by {@link badge}. */
export function setBadge(el: Element, status: string): void {
  setAttr(el, "data-status", status);
  const glyph = el.querySelector(".glyph");
  const word = el.querySelector(".word");
  if (glyph) setText(glyph, STATUS_GLYPH[status] ?? "?");
  if (word) setText(word, status);
}
