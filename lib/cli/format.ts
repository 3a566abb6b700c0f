/** Units and colours for human output: `1.5 s`, `48 B`, `3.2 MiB`, `-` for null. */
import type { LagMethod, Status } from "../snapshot/mod.ts";

/** Seconds: `0 s`, `1.5 s`, `17.0 s`, `12m 05s`, `3h 12m`; `-` for null. */
export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  if (value === 0) return "0 s";
  if (value < 60) return `${value.toFixed(1)} s`;
  const s = Math.round(value);
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad2(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${pad2(Math.floor((s % 86_400) / 3600))}h`;
}

/** Bytes in binary units: `48 B`, `3.2 KiB`, `3.2 MiB`; `-` for null. */
export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** An integer count; `-` for null. */
export function count(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  return String(Math.round(value));
}

/** A rate per minute: `0.4/min`; `-` for null. */
export function perMinute(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "-";
  return `${Number.isInteger(value) ? value : value.toFixed(1)}/min`;
}

/** true/false/null as a word. */
export function yesNo(value: boolean | null | undefined, yes: string, no: string): string {
  return value === null || value === undefined ? "-" : value ? yes : no;
}

/** Short names of lag methods for narrow tables. */
export function lagMethod(method: LagMethod): string {
  switch (method) {
    case "caught_up":
      return "caught-up";
    case "no_pending_commit":
      return "no-commit";
    case "oldest_unapplied_commit":
      return "commit";
    case "last_applied_commit":
      return "commit-ts";
    case "observed_behind":
      return "observed";
    case "unknown":
      return "-";
  }
}

/** Time of day in UTC for headers: `06:00:00Z`, plus the age when known. */
export function collectedAt(iso: string, nowMs: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const age = Math.max(0, (nowMs - ms) / 1000);
  return `${new Date(ms).toISOString().slice(11, 19)}Z (${seconds(Math.round(age))} ago)`;
}

/** Whether colours are on: a TTY and NO_COLOR unset or empty (https://no-color.org). */
export function colorEnabled(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  return isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

const STATUS_SGR: Record<Status, string> = {
  HEALTHY: "32",
  DEGRADED: "33",
  CRITICAL: "31",
  DOWN: "1;31",
  UNKNOWN: "35",
};

/** Wraps `text` (a status word, possibly padded) in its status colour when enabled. */
export function paint(status: Status, text: string, enabled: boolean): string {
  if (!enabled) return text;
  const trimmed = text.trimEnd();
  return `\x1b[${STATUS_SGR[status]}m${trimmed}\x1b[0m${text.slice(trimmed.length)}`;
}

/** Whether a string is one of the statuses. */
export function isStatus(text: string): text is Status {
  return text in STATUS_SGR;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
