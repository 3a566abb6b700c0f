/** The embedded page is what lib/web/build.ts builds from lib/web/page/, and fits its budget. */
import assert from "node:assert/strict";
import { buildPage, sha256 } from "../../lib/web/build.ts";
import { PAGE_HTML, SCRIPT_HASH, STYLE_HASH } from "../../lib/web/page.gen.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("page.gen.ts is up to date with lib/web/page (run `deno task build:web`)", async () => {
  const built = await buildPage();
  const committed = await Deno.readTextFile(new URL("lib/web/page.gen.ts", ROOT));
  assert.ok(
    built.module === committed,
    "lib/web/page.gen.ts is stale: run `deno task build:web` and commit it",
  );
});

Deno.test("the CSP hashes are those of the inline script and style", () => {
  const script = /<script type="module">([\s\S]*?)<\/script>/.exec(PAGE_HTML)?.[1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(PAGE_HTML)?.[1];
  assert.equal(sha256(script ?? ""), SCRIPT_HASH);
  assert.equal(sha256(style ?? ""), STYLE_HASH);
  assert.equal(PAGE_HTML.match(/<script/g)?.length, 1, "one script, inline");
  assert.equal(PAGE_HTML.match(/<style/g)?.length, 1, "one style, inline");
  assert.doesNotMatch(PAGE_HTML, /\b(src|href)="(https?:)?\/\//, "no external reference");
});

Deno.test("the browser's zod subset has every builder lib/snapshot/schema.ts uses", async () => {
  const schema = await Deno.readTextFile(new URL("lib/snapshot/schema.ts", ROOT));
  const used = new Set(
    [...schema.matchAll(/\bz\.([a-zA-Z]+(?:\.[a-zA-Z]+)?)\(/g)].map((m) => m[1]!),
  );
  const { z } = await import("../../lib/web/page/zod_lite.ts");
  for (const name of used) {
    const fn = name.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], z);
    assert.equal(typeof fn, "function", `zod_lite.ts lacks z.${name}`);
  }
  const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const lite = await Deno.readTextFile(new URL("lib/web/page/zod_lite.ts", ROOT));
  assert.ok(lite.includes(`"${deno.imports.zod}/mini"`), "zod_lite.ts uses deno.json's zod");
});

Deno.test("the page weighs under 100 KB uncompressed", () => {
  const bytes = new TextEncoder().encode(PAGE_HTML).length;
  assert.ok(bytes < 100 * 1024, `${bytes} bytes`);
});
