/// <reference lib="dom" />
/**
 * With `server.auth_token` set: the page asks for the token, says clearly when it is refused,
 * works once the right one is entered, keeps it in sessionStorage only (never in a URL, a request
 * line or the server's log), and forgets it on request.
 */
import assert from "node:assert/strict";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { launch, NO_BROWSER, openPage } from "./browser.ts";
import { foreignRequests, seriousViolations, unexpectedErrors } from "./page_helpers.ts";
import { startServerProcess } from "./server_process.ts";

const TOKEN = "dashboard-T0ken-4242";

Deno.test({
  name: "dashboard with an API token: prompt, clear refusal, then live; token only in the session",
  ignore: NO_BROWSER,
}, async (t) => {
  await using sb = await startSandbox({ nodes: 2 });
  await using server = await startServerProcess(sb, { token: TOKEN, logLevel: "debug" });
  const browser = await launch();
  try {
    const w = await openPage(browser);
    const { page } = w;
    const token = () => page.evaluate(() => sessionStorage.getItem("pgactive-tools.token"));

    await t.step("without a token: the prompt says the server needs one", async () => {
      await page.goto(`${server.url}/`);
      await page.waitForSelector("#auth:not([hidden])");
      assert.match(
        await page.innerText("#auth-message"),
        /requires an API token \(server\.auth_token\)/,
      );
      assert.equal(await page.locator("article.card").count(), 0);
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        "token",
        "focus in the field",
      );
      assert.equal(
        await page.getAttribute("#token", "name"),
        null,
        "a form submission carries nothing",
      );
      assert.deepEqual(await seriousViolations(page), []);
    });

    await t.step("a wrong token: a clear message, nothing kept", async () => {
      await page.fill("#token", "not-the-token");
      await page.press("#token", "Enter");
      await page.waitForFunction(() =>
        /refused this token/.test(document.getElementById("auth-message")?.textContent ?? "")
      );
      assert.equal(
        await page.innerText("#auth-message"),
        "The server refused this token (HTTP 401). Check server.auth_token and try again.",
      );
      assert.equal(await token(), null);
      assert.equal(await page.isVisible("#auth"), true);
    });

    await t.step("the right token: live, kept for this tab only, survives a reload", async () => {
      await page.fill("#token", TOKEN);
      await page.click("#auth button[type=submit]");
      await page.waitForSelector(`article[data-node="node2"][data-status="HEALTHY"]`);
      assert.equal(await page.isVisible("#auth"), false);
      assert.equal(await token(), TOKEN);
      await page.waitForSelector(`#feed-note:text("No conflict recorded.")`);
      await page.reload();
      await page.waitForSelector(`article[data-node="node2"][data-status="HEALTHY"]`);
      assert.equal(await page.isVisible("#auth"), false);
      const other = await openPage(browser); // another tab (context): asks again
      await other.page.goto(`${server.url}/`);
      await other.page.waitForSelector("#auth:not([hidden])");
      await other.page.context().close();
    });

    await t.step("forget token: back to the prompt, session cleared", async () => {
      await page.click("#forget");
      await page.waitForSelector("#auth:not([hidden])");
      assert.match(await page.innerText("#auth-message"), /Token forgotten/);
      assert.equal(await token(), null);
    });

    await t.step(
      "the token was never in a URL or a log line; all requests same-origin",
      () => {
        assert.ok(!page.url().includes(TOKEN));
        assert.deepEqual(w.requests.filter((u) => u.includes(TOKEN)), []);
        assert.deepEqual(foreignRequests(w, [new URL(server.url).origin]), []);
        assert.deepEqual(unexpectedErrors(w), []);
        assert.ok(server.logs.some((l) => l.includes('"path":"/watch"')), "requests are logged");
        assert.deepEqual(server.logs.filter((l) => l.includes(TOKEN)), []);
      },
    );
  } finally {
    await browser.close();
  }
});
