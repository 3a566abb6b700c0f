/// <reference lib="dom" />
/**
 * A node's lag as an SVG sparkline: the worst lag per time bucket over the last hour (or since
 * the first point held, at least a minute). The line breaks where no version was collected for
 * more than 3 typical intervals (server or collector stopped).
 */
import { setAttr, svg } from "./dom.ts";
import { fmtSeconds } from "./format.ts";
import { type LagSeries, WINDOW_MS } from "./series.ts";

const BUCKETS = 120;
const HEIGHT = 28;
const MIN_SPAN_MS = 60_000;

/** What a drawn sparkline covers. */
export interface SparkSummary {
  /** Time span shown, ms. */
  spanMs: number;
  /** Worst lag shown (null: nothing known). */
  worst: number | null;
}

/** An empty sparkline. */
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

/** Redraws `el` from `series` up to `nowMs`. */
export function drawSparkline(
  el: SVGSVGElement,
  node: string,
  series: LagSeries,
  nowMs: number,
): SparkSummary {
  const pts = series.points;
  const firstT = pts[0]?.t ?? nowMs;
  const fromMs = Math.max(nowMs - WINDOW_MS, Math.min(firstT, nowMs - MIN_SPAN_MS));
  const spanMs = nowMs - fromMs;
  const bucketMs = spanMs / BUCKETS;
  const values = series.buckets(fromMs, nowMs, BUCKETS);
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(1, ...known);
  const maxGap = Math.max(3 * typicalSpacing(series), 1.5 * bucketMs);
  let d = "";
  let last = -Infinity;
  values.forEach((v, i) => {
    if (v === null) return;
    const y = (HEIGHT + 1 - (v / max) * HEIGHT).toFixed(1);
    d += (i - last) * bucketMs > maxGap ? `M${i} ${y}L${i + 1} ${y}` : `L${i} ${y}L${i + 1} ${y}`;
    last = i + 1;
  });
  el.querySelector("path")?.setAttribute("d", d);
  const worst = known.length ? Math.max(...known) : null;
  const latest = pts[pts.length - 1]?.lag ?? null;
  setAttr(
    el,
    "aria-label",
    worst === null
      ? `No lag history for ${node} yet`
      : `Lag of ${node} over the last ${fmtSeconds(spanMs / 1000)}: worst ${
        fmtSeconds(worst)
      }, now ${fmtSeconds(latest)}`,
  );
  setAttr(
    el,
    "data-versions",
    pts.length ? `${pts[0]!.version}-${pts[pts.length - 1]!.version}` : "",
  );
  setAttr(el, "data-missing", String(series.missing()));
  return { spanMs, worst };
}

/** The median time between the last few points (the collector interval, as observed). */
function typicalSpacing(series: LagSeries): number {
  const pts = series.points.slice(-21);
  const gaps = pts.slice(1).map((p, i) => p.t - pts[i]!.t).sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? 0;
}
