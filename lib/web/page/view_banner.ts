/// <reference lib="dom" />
/** The cluster banner: status, version, snapshot age, node summary, and live/stale state. */
import type { Snapshot, Status } from "../../sdk/mod.ts";
import { byId, setAttr, setBadge, setText } from "./dom.ts";
import { fmtNumber, fmtSeconds } from "./format.ts";
import type { LiveView } from "./live.ts";

/** Favicon colour per status (the tab shows the cluster at a glance). */
const ICON: Record<Status, string> = {
  HEALTHY: "#1a7f37",
  DEGRADED: "#b7791f",
  CRITICAL: "#c62828",
  DOWN: "#5c1010",
  UNKNOWN: "#6b7280",
};

const ORDER: Status[] = ["DOWN", "CRITICAL", "DEGRADED", "UNKNOWN", "HEALTHY"];

/** Paints the parts of the banner a snapshot decides. */
export function paintSnapshot(s: Snapshot): void {
  setBadge(byId("cluster-badge"), s.status);
  setAttr(byId("banner"), "data-status", s.status);
  setText(byId("version"), String(s.version));
  const nodes = Object.values(s.nodes);
  const counts = ORDER.map((st) => [st, nodes.filter((n) => n.status === st).length] as const)
    .filter(([, n]) => n > 0)
    .map(([st, n]) => `${n} ${st.toLowerCase()}`);
  setText(byId("node-summary"), `${nodes.length}: ${counts.join(", ")}`);
  setText(
    byId("conflict-rate"),
    `${fmtNumber(s.cluster.conflicts_per_minute)}/min (${
      fmtNumber(s.cluster.conflict_count)
    } total)`,
  );
  const title = `${s.status} \u00b7 pgactive cluster`;
  if (document.title !== title) document.title = title;
  const icon = byId<HTMLLinkElement>("favicon");
  const href = "data:image/svg+xml," + encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">` +
      `<circle cx="8" cy="8" r="7" fill="${ICON[s.status]}"/></svg>`,
  );
  if (icon.getAttribute("href") !== href) icon.setAttribute("href", href);
}

/** Paints what time changes: the snapshot's age and the live/stale state. */
export function paintClock(s: Snapshot | null, live: LiveView, nowMs: number): void {
  if (s) {
    const age = Math.max(0, (nowMs - Date.parse(s.collected_at)) / 1000);
    setText(byId("age"), fmtSeconds(Math.round(age * 10) / 10));
  }
  const state = byId("live");
  setAttr(state, "data-state", live.state);
  setText(byId("live-word"), live.stale ? "STALE" : live.state === "live" ? "LIVE" : "CONNECTING");
  setText(byId("live-detail"), live.text);
  setAttr(document.body, "data-stale", String(live.stale));
}
