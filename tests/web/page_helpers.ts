/// <reference lib="dom" />
/**
 * What the browser tests check on every page: a recorder of status and version changes (installed
 * before the page's own script runs), axe-core, the origin of every request, CSP violations, and
 * where screenshots go (DASHBOARD_SCREENSHOTS=docs writes the README's copies).
 */
import "./no_wsl_probe.ts"; // first: before playwright-core evaluates
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import type { Watched } from "./browser.ts";

/** One change of a `data-status` attribute, seen in the page at wall-clock time `t`. */
export interface StatusChange {
  t: number;
  node: string | null;
  from: string | null;
  to: string | null;
  status: string | null;
}

interface Recorded {
  changes: StatusChange[];
  versions: number[];
  violations: string[];
}

/** Records status changes, banner versions and CSP violations from the page's first moment. */
export async function installRecorder(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const rec: Recorded = { changes: [], versions: [], violations: [] };
    (globalThis as unknown as { __rec: Recorded }).__rec = rec;
    document.addEventListener("securitypolicyviolation", (e) => {
      rec.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
    new MutationObserver((records) => {
      const t = Date.now();
      for (const r of records) {
        const el = r.target as HTMLElement;
        if (r.type === "attributes") {
          rec.changes.push({
            t,
            node: el.dataset.node ?? null,
            from: el.dataset.from ?? null,
            to: el.dataset.to ?? null,
            status: el.getAttribute("data-status"),
          });
        } else if (el.id === "version") {
          for (const n of r.addedNodes) {
            const v = Number(n.textContent);
            if (Number.isInteger(v)) rec.versions.push(v);
          }
        }
      }
    }).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-status"],
    });
  });
}

/** What the recorder saw so far. */
export function recorded(page: Page): Promise<Recorded> {
  return page.evaluate(() => (globalThis as unknown as { __rec: Recorded }).__rec);
}

/** The first time (page wall clock) the element matching `match` got `status`. */
export function firstChange(
  changes: StatusChange[],
  match: Partial<StatusChange>,
  status: string,
  after = 0,
): number | null {
  const hit = changes.find((c) =>
    c.t >= after && c.status === status &&
    Object.entries(match).every(([k, v]) => c[k as keyof StatusChange] === v)
  );
  return hit?.t ?? null;
}

/** axe-core's serious and critical violations, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`
    );
}

/** Requests that went anywhere but `origins` (data: URLs never leave the page). */
export function foreignRequests(w: Watched, origins: string[]): string[] {
  return w.requests.filter((u) => !u.startsWith("data:") && !origins.includes(new URL(u).origin));
}

/** Console errors other than failed requests (expected while the server is stopped, or 401). */
export function unexpectedErrors(w: Watched): string[] {
  return w.errors.filter((e) => !/^Failed to load resource: /.test(e));
}

/** Where screenshots go: $DASHBOARD_SCREENSHOTS (e.g. `docs`), else a temporary directory. */
export interface Shots extends AsyncDisposable {
  path(name: string): string;
}

/** Opens the screenshot directory; a temporary one is removed on dispose. */
export async function screenshots(): Promise<Shots> {
  const keep = Deno.env.get("DASHBOARD_SCREENSHOTS");
  if (keep) await Deno.mkdir(keep, { recursive: true });
  const dir = keep ?? await Deno.makeTempDir({ prefix: "pgactive-shots-" });
  return {
    path: (name) => `${dir}/${name}`,
    async [Symbol.asyncDispose]() {
      if (!keep) await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Polls `check` every 50 ms until it returns true; throws naming `what` after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (true) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
