/**
 * Durations ("250ms", "2s", "5m", "1h", "7d") and rates ("3/min", "0.5/s", "100/h").
 *
 * Bare numbers (YAML `interval: 2` or the string "2") are SECONDS for durations and PER MINUTE for
 * rates, so that a config value never silently means milliseconds.
 */

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const RATE_UNITS: Readonly<Record<string, number>> = {
  s: 60,
  sec: 60,
  min: 1,
  m: 1,
  h: 1 / 60,
  hour: 1 / 60,
};

const NUMBER = "(\\d+(?:\\.\\d+)?|\\.\\d+)";
const DURATION_RE = new RegExp(`^${NUMBER}\\s*(ms|s|m|h|d)?$`);
const RATE_RE = new RegExp(`^${NUMBER}\\s*(?:/\\s*(s|sec|min|m|h|hour))?$`);

/** Parses a duration into whole milliseconds; a bare number is seconds. Throws a `RangeError`. */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`invalid duration ${value}: must be a non-negative number of seconds`);
    }
    return Math.round(value * 1_000);
  }
  const m = DURATION_RE.exec(value.trim());
  if (!m) {
    throw new RangeError(
      `invalid duration ${JSON.stringify(value)}: use a number with a unit ms, s, m, h or d ` +
        `(e.g. "250ms", "2s", "5m", "7d")`,
    );
  }
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? "s"]!);
}

/** Parses a rate into events per minute; a bare number is per minute. Throws a `RangeError`. */
export function parseRate(value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`invalid rate ${value}: must be a non-negative number per minute`);
    }
    return value;
  }
  const m = RATE_RE.exec(value.trim());
  if (!m) {
    throw new RangeError(
      `invalid rate ${JSON.stringify(value)}: use N/s, N/min or N/h (e.g. "3/min", "0.5/s")`,
    );
  }
  return Number(m[1]) * RATE_UNITS[m[2] ?? "min"]!;
}

/** Formats milliseconds the way a user would write them: 500 -> "500ms", 2000 -> "2s", 90000 -> "90s". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1_000 && ms % 100 === 0 ? `${ms / 1_000}s` : `${ms}ms`;
}
