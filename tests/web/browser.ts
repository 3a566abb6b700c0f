/**
 * Debian's Chromium driven by playwright-core (flags from shared/TOOLCHAIN.md), and a page that
 * records every request and console error it makes. Test-only: playwright stays out of the
 * server and CLI import graphs.
 */
import "./no_wsl_probe.ts"; // first: before playwright-core evaluates
import { type Browser, chromium, type Page } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = Deno.env.get("PGACTIVE_CHROMIUM") ?? "/usr/bin/chromium";

/** True when the browser is installed. */
export function hasChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/**
 * Browser tests are ignored on a machine without Chromium (`apt-get install chromium`, or
 * `.ci/chromium.sh`), never under CI (CI=true), where a missing browser must fail them.
 */
export const NO_BROWSER: boolean = !hasChromium() && Deno.env.get("CI") !== "true";

/** Launches headless Chromium. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page and what it did: requested URLs, console errors, CSP violations, page errors. */
export interface Watched {
  page: Page;
  requests: string[];
  errors: string[];
}

/** Opens a page in a fresh context of `browser` that records its traffic and errors. */
export async function openPage(
  browser: Browser,
  options: { width?: number; height?: number; colorScheme?: "light" | "dark" } = {},
): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? "light",
  });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  return { page, requests, errors };
}
