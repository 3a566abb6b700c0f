/// <reference lib="dom" />
/**
 * The page is readable from 2 to 10 nodes: the real server (startServer over a hub fed synthetic
 * snapshots, no database) in Chromium at 1280 px and at phone width. At 1280 px a 10 x 10 matrix
 * fits without scrolling; on a phone it scrolls inside its own focusable region, never the page.
 */
import assert from "node:assert/strict";
import { Hub, startServer } from "../../lib/server/mod.ts";
import { launch, NO_BROWSER, openPage } from "./browser.ts";
import {
  foreignRequests,
  screenshots,
  seriousViolations,
  unexpectedErrors,
} from "./page_helpers.ts";
import { cycle, testConfig } from "../server/fixtures.ts";

Deno.test({
  name: "dashboard layout with 2 and 10 nodes, desktop and phone",
  ignore: NO_BROWSER,
}, async (t) => {
  await using shots = await screenshots();
  const browser = await launch();
  try {
    for (const n of [2, 10]) {
      const names = Array.from({ length: n }, (_, i) => `node${i + 1}`);
      const hub = new Hub();
      hub.publish(cycle(7, {
        nodes: names,
        status: { node2: "DEGRADED", [names[n - 1]!]: n > 2 ? "DOWN" : "HEALTHY" },
      }));
      await using server = await startServer({ config: testConfig({}, names), hub, port: 0 });
      for (const width of [1280, 390]) {
        await t.step(`${n} nodes at ${width} px`, async () => {
          const w = await openPage(browser, { width, height: 900 });
          await w.page.goto(`${server.url}/`);
          await w.page.waitForSelector(`article[data-node="node${n}"]`);
          assert.equal(await w.page.locator("article.card").count(), n);
          assert.equal(await w.page.locator("td[data-from] button").count(), n * (n - 1));
          const sizes = await w.page.evaluate(() => {
            const wrap = document.querySelector(".matrix-wrap")!;
            return {
              page: document.documentElement.scrollWidth,
              wrap: wrap.clientWidth,
              matrix: wrap.scrollWidth,
            };
          });
          assert.ok(sizes.page <= width, `page ${sizes.page} px wide at ${width}`);
          if (width === 1280) assert.ok(sizes.matrix <= sizes.wrap, JSON.stringify(sizes));
          assert.deepEqual(await seriousViolations(w.page), []);
          assert.deepEqual(foreignRequests(w, [new URL(server.url).origin]), []);
          // no store here: /history and /conflicts answer 503, which the page says in words
          assert.match(await w.page.innerText("#feed-note"), /^Conflict history unavailable: /);
          assert.deepEqual(unexpectedErrors(w), []);
          await w.page.screenshot({
            path: shots.path(`dashboard-${n}-nodes-${width}.png`),
            fullPage: true,
          });
          await w.page.context().close();
        });
      }
    }
  } finally {
    await browser.close();
  }
});
