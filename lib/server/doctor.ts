/**
 * GET /doctor: the latest run of the server's doctor (its own timer, never the probe path), as
 * JSON, with the run's time (`checked_at`) and the interval. 503 before the first run completes.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { DoctorReport } from "../doctor/mod.ts";

/** What the route reads: the latest report and the time between runs. */
export interface DoctorSource {
  readonly latest: DoctorReport | null;
  readonly intervalMs: number;
}

/** The /doctor route; 404 when this server runs no doctor (an app built without one). */
export function doctorRoutes(doctor: DoctorSource | null): Hono {
  const routes = new Hono();
  routes.get("/doctor", (c) => {
    if (!doctor) throw new HTTPException(404, { message: "This server runs no doctor" });
    const report = doctor.latest;
    c.header("Cache-Control", "no-cache");
    if (!report) {
      c.header("Retry-After", "5");
      throw new HTTPException(503, {
        message: "No doctor run yet: the first one has not completed",
      });
    }
    return c.json({ ...report, interval_ms: doctor.intervalMs });
  });
  return routes;
}
