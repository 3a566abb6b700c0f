/** main_server.ts as a quiet subprocess, for end-to-end tests and benches that start their own. */

const MAIN = new URL("../../main_server.ts", import.meta.url).pathname;

/** What main_server.ts needs: no --allow-run, --allow-ffi or --allow-all. */
export const SERVER_PERMISSIONS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys",
];

/** Starts main_server.ts on `config` in `cwd` at log level error, its stdout and stderr dropped. */
export function spawnServer(
  config: string,
  options: { cwd: string; permissions?: readonly string[] },
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...(options.permissions ?? SERVER_PERMISSIONS),
      MAIN,
      "--config",
      config,
      "--log-level",
      "error",
    ],
    cwd: options.cwd,
    stdout: "null",
    stderr: "null",
  }).spawn();
}
