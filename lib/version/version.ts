/** The version of pgactive-tools, the commit it was built from and the Deno runtime under it. */
import { BUILD_COMMIT, BUILD_DATE } from "./build_info.ts";

/** The release version (also `version` in deno.json; a test keeps the two equal). */
export const VERSION = "0.1.0";

/** What `--version` reports. */
export interface BuildInfo {
  readonly version: string;
  /** Commit the binary or image was built from; "unknown" from source. */
  readonly commit: string;
  /** Build time (ISO 8601), null from source. */
  readonly built_at: string | null;
  /** Version of the Deno runtime executing the code (the `denort` base of a compiled binary). */
  readonly deno: string;
  /** Target triple of that runtime, e.g. `x86_64-unknown-linux-gnu`. */
  readonly target: string;
}

/** The version, commit, build time and Deno runtime of this process. */
export function buildInfo(): BuildInfo {
  return {
    version: VERSION,
    commit: BUILD_COMMIT,
    built_at: BUILD_DATE,
    deno: Deno.version.deno,
    target: Deno.build.target,
  };
}

/** One line: `pgactive-server 0.1.0 (commit 1a2b3c4d5e6f, deno 2.9.6, x86_64-unknown-linux-gnu)`. */
export function versionLine(program: string, info: BuildInfo = buildInfo()): string {
  const commit = /^[0-9a-f]{40}$/.test(info.commit) ? info.commit.slice(0, 12) : info.commit;
  return `${program} ${info.version} (commit ${commit}, deno ${info.deno}, ${info.target})`;
}
