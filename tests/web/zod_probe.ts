/**
 * Validates tests/web/zod_lite_test.ts's inputs with lib/snapshot/schema.ts and prints the
 * results as JSON. Run twice by the test: as is (real zod) and with the page's import map (zod
 * resolves to lib/web/page/zod_lite.ts).
 */
import { ConflictRecordSchema, SnapshotSchema } from "../../lib/snapshot/schema.ts";
import { INPUTS } from "./zod_inputs.ts";

const results = INPUTS.map(([what, kind, input]) => {
  const r = (kind === "snapshot" ? SnapshotSchema : ConflictRecordSchema).safeParse(input);
  return {
    what,
    ok: r.success,
    data: r.success ? r.data : null,
    issues: r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
  };
});
console.log(JSON.stringify(results));
