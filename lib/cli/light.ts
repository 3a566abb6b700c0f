/**
 * What the CLI needs before it knows whether a config is read: the default config path and
 * thresholds, duration parsing and secret masking. These mirror lib/config (tests/cli/light_test.ts
 * pins them equal) so that `lag --server URL` does not load the config module (YAML, zod):
 * start-up is module loading.
 */

/** Config file read when no --config is given (lib/config DEFAULTS.path). */
export const DEFAULT_CONFIG_PATH = "./config/tools.yaml";

/** Thresholds shown when no config is read (lib/config DEFAULTS.thresholds). */
export const DEFAULT_THRESHOLDS = {
  lagSecondsWarn: 5,
  lagSecondsCrit: 15,
  conflictsWarnPerMinute: 3,
} as const;

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const DURATION_RE = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d)?$/;

/** "250ms", "2s", "5m", "1h", "7d" (a bare number is seconds) in whole ms; null when invalid. */
export function durationMs(text: string): number | null {
  const m = DURATION_RE.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNITS[m[2] ?? "s"]!) : null;
}

const MASK = "****";
/** `scheme://user:PASSWORD@`: the password runs to the last `@` (as lib/config's redactDsn). */
const URL_PASSWORD_RE = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:@/]{0,256}:)(\S{0,1024})@/gi;

/** Masks each secret (longest first) and any URL password in `text`. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of list) out = out.split(secret).join(MASK);
  return out.replace(URL_PASSWORD_RE, `$1${MASK}@`);
}
