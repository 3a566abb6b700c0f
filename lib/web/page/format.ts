/** Display formatting of the dashboard (pure, shared by every view). */

/** Seconds for display: `0 s`, `0.4 s`, `12 s`, `3.5 min`, `2.1 h`; `n/a` when unknown. */
export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return "n/a";
  if (s === 0) return "0 s";
  if (s < 10) return `${round1(s)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${round1(s / 60)} min`;
  return `${round1(s / 3600)} h`;
}

/** Bytes for display (1024 steps, as the server's reasons): `0 B`, `4.1 KB`, `2.5 MB`. */
export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "n/a";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : round1(v)} ${units[i]}`;
}

/** A count or rate for display: `0`, `1.5`, `n/a`. */
export function fmtNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "n/a";
  return String(round1(n));
}

/** Milliseconds for display: `2.1 ms`, `350 ms`, `n/a`. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "n/a";
  return ms < 10 ? `${round1(ms)} ms` : `${Math.round(ms)} ms`;
}

/** Yes / no / n/a. */
export function fmtBool(b: boolean | null | undefined, yes = "yes", no = "no"): string {
  return b === null || b === undefined ? "n/a" : b ? yes : no;
}

/** Time of day (HH:MM:SS, local time zone) of an ISO timestamp. */
export function fmtTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
