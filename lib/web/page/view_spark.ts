/// <reference lib="dom" />
/** A node's lag over the last hour as an SVG sparkline (worst lag per 30 s bucket). */
import { setAttr, svg } from "./dom.ts";
import { fmtSeconds } from "./format.ts";
import { type LagSeries, WINDOW_MS } from "./series.ts";

const BUCKETS = 120;
const HEIGHT = 28;

/** An empty sparkline for `node`. */
export function newSparkline(): SVGSVGElement {
  const el = svg("svg", {
    class: "spark",
    viewBox: `0 0 ${BUCKETS} ${HEIGHT + 2}`,
    preserveAspectRatio: "none",
    role: "img",
    "aria-label": "No lag history yet",
  });
  el.append(
    svg("line", { class: "base", x1: 0, x2: BUCKETS, y1: HEIGHT + 1, y2: HEIGHT + 1 }),
    svg("path", { class: "line", d: "" }),
  );
  return el;
}

/** Redraws `el` from `series` for the hour before `nowMs`. */
export function drawSparkline(el: SVGSVGElement, node: string, series: LagSeries, nowMs: number) {
  const values = series.buckets(nowMs - WINDOW_MS, nowMs, BUCKETS);
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(1, ...known);
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const y = (HEIGHT + 1 - (v / max) * HEIGHT).toFixed(1);
    d += `${pen ? "L" : "M"}${i} ${y}` + (pen ? "" : `L${i + 0.9} ${y}`);
    pen = true;
  });
  el.querySelector("path")?.setAttribute("d", d);
  const pts = series.points;
  const latest = pts[pts.length - 1]?.lag ?? null;
  setAttr(
    el,
    "aria-label",
    known.length === 0
      ? `No lag history for ${node} in the last hour`
      : `Lag of ${node} over the last hour: worst ${fmtSeconds(Math.max(...known))}, now ${
        fmtSeconds(latest)
      }`,
  );
  setAttr(
    el,
    "data-versions",
    pts.length ? `${pts[0]!.version}-${pts[pts.length - 1]!.version}` : "",
  );
  setAttr(el, "data-missing", String(series.missing()));
}
