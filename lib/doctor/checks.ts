/** Every check, as data, in report order. */
import type { Check } from "./checks/check.ts";
import { CLOCK_CHECK } from "./checks/clock.ts";
import { PRIVILEGES_CHECK } from "./checks/privileges.ts";
import { SCHEMA_CHECKS } from "./checks/schema.ts";
import { SEQUENCE_CHECKS } from "./checks/sequences.ts";
import { SETTINGS_CHECKS } from "./checks/settings.ts";
import { SLOT_CHECKS } from "./checks/slots.ts";
import { VERSION_CHECKS } from "./checks/versions.ts";

/** `connect`: a configured node that could not be read (its other checks did not run). */
export const CONNECT_CHECK_ID = "connect";

/** The checks `doctor` runs. */
export const CHECKS: readonly Check[] = [
  PRIVILEGES_CHECK,
  ...SETTINGS_CHECKS,
  ...VERSION_CHECKS,
  CLOCK_CHECK,
  ...SCHEMA_CHECKS,
  ...SEQUENCE_CHECKS,
  ...SLOT_CHECKS,
];
