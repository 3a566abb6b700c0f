/// <reference lib="dom" />
/**
 * Stopping pgactive-server (SIGTERM) under an open dashboard shows the stale state at once;
 * restarting it (same port, same SQLite history) resumes the page's watch after the last version
 * it had, and the versions published while no stream was open are backfilled from /history: the
 * page's lag history then holds every version, none missing.
 */
import assert from "node:assert/strict";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { launch, NO_BROWSER, openPage } from "./browser.ts";
import {
  foreignRequests,
  installRecorder,
  recorded,
  unexpectedErrors,
  until,
} from "./page_helpers.ts";
import { startServerProcess } from "./server_process.ts";

const INTERVAL_MS = 500;

Deno.test({
  name: "dashboard: a stopped server shows stale, a restarted one resumes with no missed version",
  ignore: NO_BROWSER,
}, async () => {
  await using sb = await startSandbox({ nodes: 3 });
  await using server = await startServerProcess(sb, { interval: `${INTERVAL_MS}ms` });
  const browser = await launch();
  try {
    const w = await openPage(browser);
    const { page } = w;
    await installRecorder(page);
    await page.goto(`${server.url}/`);
    await page.waitForSelector(`article[data-node="node3"][data-status="HEALTHY"]`);
    await until("some versions", async () => (await recorded(page)).versions.length >= 4);

    await server.stop();
    const stoppedAt = Date.now();
    await page.waitForSelector(`#live[data-state="lost"]`, { timeout: 2 * INTERVAL_MS });
    const lostAfter = Date.now() - stoppedAt;
    const before = Math.max(...(await recorded(page)).versions);
    assert.equal(await page.innerText("#live"), "STALE");
    assert.match(
      await page.innerText("#live-detail"),
      /^Connection lost \d+ s ago \(.+\); retrying within \d+ s$/,
    );
    assert.equal(await page.getAttribute("body", "data-stale"), "true");
    assert.equal(
      Number(await page.textContent("#version")),
      before,
      "the last snapshot stays shown",
    );
    await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS)); // still down: stays stale
    assert.equal(await page.getAttribute("#live", "data-state"), "lost");

    await server.start();
    const restartedAt = Date.now();
    await page.waitForSelector(`#live[data-state="live"]`, { timeout: 15_000 });
    const resumedAfter = Date.now() - restartedAt;
    await until("versions after the restart", async () => {
      const v = (await recorded(page)).versions;
      return v.filter((x) => x > before).length >= 4;
    });
    const { versions } = await recorded(page);
    for (let i = 1; i < versions.length; i++) {
      assert.ok(versions[i]! > versions[i - 1]!, `versions in order, no repeat: ${versions}`);
    }
    // Every version the server stored is in the page's history: the watch's own and the backfill.
    await until("complete lag histories", async () => {
      const missing = await page.locator("svg.spark").evaluateAll((els) =>
        els.map((e) => e.getAttribute("data-missing"))
      );
      return missing.length === 3 && missing.every((m) => m === "0");
    }, 10_000);
    const ranges = await page.locator("svg.spark").evaluateAll((els) =>
      els.map((e) => e.getAttribute("data-versions") ?? "")
    );
    for (const range of ranges) {
      const [first, last] = range.split("-").map(Number);
      assert.ok(
        first! < before && last! > before + 1,
        `history ${range} spans the restart at ${before}`,
      );
    }
    const history = await (await fetch(`${server.url}/history?node=node1&limit=10000`)).json();
    const stored = new Set(history.points.map((p: { version: number }) => p.version));
    const [first, last] = ranges[0]!.split("-").map(Number);
    for (let v = first!; v <= last!; v++) {
      assert.ok(stored.has(v), `the server stored version ${v}`);
    }
    const after = versions.find((v) => v > before)!;
    if (after > before + 1) {
      const backfills = w.requests.filter((u) => /\/history\?from=.*&to=/.test(u));
      assert.ok(
        backfills.length > 0,
        `versions ${before + 1}-${after - 1} were fetched from /history`,
      );
    }
    console.log(
      `stale shown ${lostAfter} ms after SIGTERM; live again ${resumedAfter} ms after the restart;` +
        ` watch delivered ${versions.filter((v) => v > before).slice(0, 3)}... after ${before}`,
    );
    assert.deepEqual(foreignRequests(w, [new URL(server.url).origin]), []);
    assert.deepEqual(unexpectedErrors(w), []);
    assert.deepEqual((await recorded(page)).violations, []);
  } finally {
    await browser.close();
  }
});
