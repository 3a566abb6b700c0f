/**
 * Logging (and later metrics/tracing helpers) shared by every part.
 * @module
 */
export { createLogger, silentLogger } from "./logger.ts";
export type { LogFields, Logger, LoggerOptions } from "./logger.ts";
/** The log levels of `LoggerOptions.level`. */
export type { LogLevel } from "../config/types.ts";
