/**
 * Version and build information for `--version` (pgactive-server and pgactive-tools). Imports
 * nothing but its own stamp, so the CLI's start-up graph stays small.
 * @module
 */
/** The release version, the build info of this process and its one-line form. */
export { buildInfo, VERSION, versionLine } from "./version.ts";
export type { BuildInfo } from "./version.ts";
