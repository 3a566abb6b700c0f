/** Clock skew between nodes and against the collector (it falsifies lag_seconds). */
import { type ClockOffset, formatOffset, provenSkewMs, worstPair } from "../clock.ts";
import type { Check, Problem } from "./check.ts";

/** Proven skew at or above which a finding is WARN / FAIL, ms. */
export const SKEW_WARN_MS = 500;
export const SKEW_FAIL_MS = 5000;

function severity(o: ClockOffset): Problem["severity"] | null {
  const s = provenSkewMs(o);
  return s >= SKEW_FAIL_MS ? "FAIL" : s >= SKEW_WARN_MS ? "WARN" : null;
}

const NTP = "sync with NTP (timedatectl set-ntp true; chronyc makestep)";

/** The clock check. */
export const CLOCK_CHECK: Check = {
  id: "clock_skew",
  group: "clock",
  title: "node clocks agree with each other and with the collector (round trip taken into account)",
  needs: "none",
  run(c) {
    const problems: Problem[] = [];
    const pair = worstPair(c.offsets);
    const pairSeverity = pair ? severity(pair.skew) : null;
    if (pair && pairSeverity) {
      problems.push({
        severity: pairSeverity,
        node: null,
        seen: `clock of ${pair.a} is ${formatOffset(pair.skew)} against ${pair.b}`,
        fix: `${NTP} on the hosts of ${pair.a} and ${pair.b}`,
      });
    }
    const off = [...c.offsets].filter(([, o]) => severity(o) !== null);
    if (off.length > 0 && off.length === c.offsets.size && !pairSeverity && c.offsets.size > 1) {
      const [, o] = off[0]!;
      problems.push({
        severity: severity(o)!,
        node: null,
        seen: `every node's clock is ${formatOffset(o)} against the collector's`,
        fix: `${NTP} on the host running pgactive-tools`,
      });
    } else {
      for (const [name, o] of off) {
        problems.push({
          severity: severity(o)!,
          node: name,
          seen: `clock is ${formatOffset(o)} against the collector's`,
          fix: `${NTP} on the host of ${name}`,
        });
      }
    }
    const list = [...c.offsets].map(([n, o]) => `${n} ${formatOffset(o)}`).join(", ");
    return { problems, ok: `clock offsets against the collector: ${list || "none measured"}` };
  },
};
