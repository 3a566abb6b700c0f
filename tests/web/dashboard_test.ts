/// <reference lib="dom" />
/**
 * The dashboard in Debian's Chromium against a real pgactive-server (main_server.ts) on a 3-node
 * sandbox: every node and link rendered, desktop and phone, axe-core, a stalled link turning its
 * cell and its target's card DEGRADED within 2 intervals of the cycle that decided it and back to
 * HEALTHY when healed, the conflict feed, and no request leaving the server's origin.
 */
import assert from "node:assert/strict";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { Client, type Snapshot } from "../../lib/sdk/mod.ts";
import { launch, NO_BROWSER, openPage, type Watched } from "./browser.ts";
import {
  firstChange,
  foreignRequests,
  installRecorder,
  recorded,
  screenshots,
  seriousViolations,
  unexpectedErrors,
  until,
} from "./page_helpers.ts";
import { startServerProcess } from "./server_process.ts";

const INTERVAL_MS = 500;
const NODES = ["node1", "node2", "node3"];
const cell = (from: string, to: string) => `td[data-from="${from}"][data-to="${to}"]`;
const card = (node: string) => `article[data-node="${node}"]`;

Deno.test({
  name: "dashboard in Chromium against pgactive-server on the sandbox",
  ignore: NO_BROWSER,
}, async (t) => {
  await using sb = await startSandbox({ nodes: 3 });
  await using server = await startServerProcess(sb, { interval: `${INTERVAL_MS}ms` });
  const origin = new URL(server.url).origin;
  await using shots = await screenshots();
  const follow = new AbortController();
  const seen: Snapshot[] = [];
  const following = (async () => {
    for await (const s of new Client(server.url).watchSnapshots({ signal: follow.signal })) {
      seen.push(s);
    }
  })();
  const browser = await launch();
  const pages: Watched[] = [];
  let load = null as { stop(): Promise<void> } | null;
  try {
    await sb.waitForCatchUp();
    const w = await openPage(browser);
    pages.push(w);
    const { page } = w;
    await installRecorder(page);

    await t.step("renders every node and link with its status, live", async () => {
      await page.goto(`${server.url}/`);
      await until(
        "3 HEALTHY cards",
        () => page.locator(`article.card[data-status="HEALTHY"]`).count().then((n) => n === 3),
      );
      for (const node of NODES) {
        const text = await page.locator(card(node)).innerText();
        assert.match(text, new RegExp(`^${node}\\s+\u2713\\s*HEALTHY`), text);
        assert.match(text, /pgactive\s+2\.1\.9/);
      }
      for (const from of NODES) {
        for (const to of NODES.filter((n) => n !== from)) {
          assert.equal(await page.getAttribute(cell(from, to), "data-status"), "HEALTHY");
          const name = await page.locator(`${cell(from, to)} button`).textContent();
          assert.match(name ?? "", new RegExp(`^\u2713${from} to ${to}: HEALTHY, lag 0 s0 B`));
        }
      }
      assert.equal(await page.locator("td.self").count(), 3);
      assert.equal(await page.getAttribute("#live", "data-state"), "live");
      const version = Number(await page.textContent("#version"));
      assert.ok(seen.some((s) => s.version === version), `version ${version} is the server's`);
      assert.match(await page.title(), /^HEALTHY · pgactive cluster$/);
      const marks = await page.evaluate(() =>
        performance.getEntriesByName("pgactive:first-render").length
      );
      assert.equal(marks, 1);
    });

    await t.step("phone width (390 px, dark): readable, no horizontal page scroll", async () => {
      const m = await openPage(browser, { width: 390, height: 844, colorScheme: "dark" });
      pages.push(m);
      await m.page.goto(`${server.url}/`);
      await m.page.waitForSelector(`${card("node3")}[data-status="HEALTHY"]`);
      const overflow = await m.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= 390, `page is ${overflow} px wide`);
      const bg = await m.page.evaluate(() =>
        getComputedStyle(document.documentElement).backgroundColor
      );
      assert.equal(bg, "rgb(15, 20, 25)", "prefers-color-scheme: dark is honoured");
      assert.deepEqual(await seriousViolations(m.page), []);
      await m.page.screenshot({ path: shots.path("dashboard-phone.png"), fullPage: true });
    });

    await t.step("axe-core: no serious or critical violation (desktop, light)", async () => {
      assert.deepEqual(await seriousViolations(page), []);
    });

    await t.step(
      "keyboard: Tab reaches the matrix cells, Enter shows a link's details",
      async () => {
        await page.focus(`${cell("node1", "node2")} button`);
        await page.keyboard.press("Enter");
        await page.waitForSelector("#link-detail:not([hidden])");
        assert.match(await page.innerText("#link-detail h3"), /node1 → node2/);
        await page.keyboard.press("Tab");
        const focused = await page.evaluate(() => {
          const td = document.activeElement?.closest("td");
          return td ? `${td.dataset.from}->${td.dataset.to}` : null;
        });
        assert.equal(focused, "node1->node3");
      },
    );

    await t.step(
      "a stalled link turns its cell and node card DEGRADED within 2 intervals, healing turns them back",
      async () => {
        const start = Date.now();
        await sb.stallLink("node1", "node2");
        load = sb.startLoad("node1", { rowsPerSecond: 50 });
        await until(
          "the server to call node2 DEGRADED",
          () => Promise.resolve(seen.some((s) => s.nodes.node2?.status === "DEGRADED")),
          30_000,
        );
        const decided = seen.find((s) => s.nodes.node2?.status === "DEGRADED")!;
        await page.waitForSelector(`${cell("node1", "node2")}[data-status="DEGRADED"]`);
        await page.waitForSelector(`${card("node2")}[data-status="DEGRADED"]`);
        const rec = await recorded(page);
        const cellAt = firstChange(rec.changes, { from: "node1", to: "node2" }, "DEGRADED", start);
        const cardAt = firstChange(rec.changes, { node: "node2" }, "DEGRADED", start);
        const decidedAt = Date.parse(decided.collected_at);
        for (const [what, at] of [["cell", cellAt], ["card", cardAt]] as const) {
          assert.ok(
            at !== null && at - decidedAt <= 2 * INTERVAL_MS,
            `${what} after ${at! - decidedAt} ms`,
          );
        }
        console.log(`page DEGRADED ${cellAt! - decidedAt} ms after the cycle that decided it`);
        assert.match(await page.innerText(card("node2")), /link node1 -> node2: /);
        for (const [from, to] of [["node2", "node1"], ["node1", "node3"], ["node3", "node2"]]) {
          assert.equal(await page.getAttribute(cell(from!, to!), "data-status"), "HEALTHY");
        }
        assert.match(await page.innerText("#link-detail"), /DEGRADED[\s\S]*link node1 -> node2: /);
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.screenshot({ path: shots.path("dashboard-desktop.png"), fullPage: true });
        assert.deepEqual(await seriousViolations(page), [], "axe with a degraded link and details");

        const healStart = Date.now();
        await load!.stop();
        load = null;
        await sb.resumeLink("node1", "node2");
        await until(
          "the server to call node2 HEALTHY again",
          () =>
            Promise.resolve(
              seen.some((s) =>
                Date.parse(s.collected_at) >= healStart && s.nodes.node2?.status === "HEALTHY"
              ),
            ),
          30_000,
        );
        const healed = seen.find((s) =>
          Date.parse(s.collected_at) >= healStart && s.nodes.node2?.status === "HEALTHY"
        )!;
        await page.waitForSelector(`${cell("node1", "node2")}[data-status="HEALTHY"]`);
        await page.waitForSelector(`${card("node2")}[data-status="HEALTHY"]`);
        const after = await recorded(page);
        const healedAt = Date.parse(healed.collected_at);
        for (const match of [{ from: "node1", to: "node2" }, { node: "node2" }]) {
          const at = firstChange(after.changes, match, "HEALTHY", healStart);
          assert.ok(
            at !== null && at - healedAt <= 2 * INTERVAL_MS,
            `${JSON.stringify(match)}: ${at! - healedAt} ms`,
          );
        }
      },
    );

    await t.step("a recorded conflict appears in the feed", async () => {
      await sb.recordConflict("node3", { type: "update_update", from: "node2", count: 1 });
      await page.waitForSelector(`#feed li[data-node="node3"]`, { timeout: 15_000 });
      const text = await page.innerText(`#feed li[data-node="node3"]`);
      assert.match(text, /update_update on public\.\S+: node3 ← node2/);
    });

    await t.step(
      "nothing left the server's origin; no CSP violation, no script error",
      async () => {
        for (const p of pages) {
          assert.deepEqual(foreignRequests(p, [origin]), []);
          assert.deepEqual(unexpectedErrors(p), []);
        }
        assert.deepEqual((await recorded(page)).violations, []);
        const paths = new Set(w.requests.map((u) => new URL(u).pathname));
        assert.deepEqual([...paths].sort(), ["/", "/conflicts", "/health", "/history", "/watch"]);
      },
    );
  } finally {
    await load?.stop();
    await sb.resumeLink("node1", "node2").catch(() => {});
    await browser.close();
    follow.abort();
    await following.catch(() => {});
  }
});
