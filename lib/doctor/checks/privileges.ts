/** The monitoring role: what it cannot read on each node, and the GRANTs that fix it. */
import { GRANTABLES, grantSql } from "../grants.ts";
import type { Check, Problem } from "./check.ts";

/** The privileges check. */
export const PRIVILEGES_CHECK: Check = {
  id: "privileges",
  group: "access",
  title: "the monitoring role can read everything the tools use (config/monitoring_role.sql)",
  needs: "none (has_*_privilege on the catalogs)",
  run(c) {
    const problems: Problem[] = [];
    const roles = new Set<string>();
    for (const n of c.nodes) {
      const { role, superuser, granted } = n.grants;
      roles.add(superuser ? `${role} (superuser)` : role);
      const missing = GRANTABLES.filter((g) => !g.optional && granted.get(g.key) === false);
      if (missing.length === 0) continue;
      problems.push({
        // Without pgactive_nodes the collector cannot name peers at all.
        severity: missing.some((g) => g.key === "nodes") ? "FAIL" : "WARN",
        node: n.name,
        seen: `role ${role} cannot read ${
          missing.map((g) => `${g.object} (${g.usedFor})`).join(", ")
        }`,
        fix: missing.map((g) => grantSql(g, role)).join(" "),
      });
    }
    return { problems, ok: `role ${[...roles].join(", ")} can read everything the tools use` };
  },
};
