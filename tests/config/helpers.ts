/** Shared helpers for config tests (plain data, no database). */
import assert from "node:assert/strict";
import { ConfigError, parseConfig, type ParseConfigOptions } from "../../lib/config/mod.ts";

/** A minimal valid config; `extra` is appended verbatim (YAML). */
export function yaml(
  extra = "",
  nodes = "    - { name: node1, dsn: postgres://u@h1/app }\n",
): string {
  return `collector:\n  nodes:\n${nodes}${extra}`;
}

/** The ConfigError thrown by parseConfig (fails the test if none). */
export function configError(text: string, opts: ParseConfigOptions = {}): ConfigError {
  try {
    parseConfig(text, opts);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
    return e;
  }
  assert.fail("expected parseConfig to throw a ConfigError");
}

/** The problem lines of the ConfigError thrown by parseConfig. */
export function problems(text: string, opts: ParseConfigOptions = {}): readonly string[] {
  return configError(text, opts).problems;
}

/** Asserts exactly one problem starts with `path: ` and returns it. */
export function problemAt(list: readonly string[], path: string): string {
  const found = list.filter((p) => p.startsWith(`${path}: `));
  assert.equal(found.length, 1, `expected one problem at ${path}, got:\n${list.join("\n")}`);
  return found[0]!;
}
