import { z } from "zod";
import { formats } from "../ingest/registry.js";

/** "90", "90s", "10m", "1h" → seconds. */
const duration = z.union([
  z.number().positive(),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h)?$/, 'a duration like 90, "90s", "10m" or "1h"'),
]);

const reportSpec = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1).describe("Report file, relative to the repository root; globs allowed."),
    format: z.enum(formats as [string, ...string[]]).optional().describe("Force the format instead of detecting it."),
  }),
]);

export const collectorSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "letters, digits, '.', '_' or '-'").describe("Unique name, shown in output and provenance."),
  command: z.string().min(1).optional().describe("Shell command that runs the tool and writes the reports. Without it the reports are only read."),
  cwd: z.string().optional().describe("Directory to run the command in, relative to the repository root."),
  timeout: duration.default("10m").describe("Kill the command after this long (seconds, or 30s / 10m / 1h)."),
  env: z.record(z.string(), z.string()).optional().describe("Extra environment variables for the command."),
  fail_on_exit: z.boolean().default(false).describe(
    "Treat a non-zero exit as a failed collection even when fresh reports were written. Off by default: test runners exit 1 when tests fail.",
  ),
  reports: z.array(reportSpec).min(1).describe("Report files the command leaves (or that already exist)."),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).describe("Config format version."),
  project: z.string().optional().describe("Project name, for reports."),
  collectors: z.array(collectorSchema).default([]).describe("Tools to run and the reports they leave."),
  paths: z
    .strictObject({
      resolve_threshold: z.number().min(0).max(1).default(0.8).describe(
        "Share of report paths that must resolve to repository files; below it the coverage signal is degraded.",
      ),
    })
    .default({ resolve_threshold: 0.8 }),
});

export type ShipgateConfig = z.output<typeof configSchema>;
export type CollectorConfig = z.output<typeof collectorSchema>;
export type ReportSpec = z.output<typeof reportSpec>;

/** Seconds of a duration value. */
export function toSeconds(value: number | string): number {
  if (typeof value === "number") return value;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(value);
  if (!m) return NaN;
  const n = Number(m[1]);
  switch (m[2]) {
    case "ms": return n / 1000;
    case "m": return n * 60;
    case "h": return n * 3600;
    default: return n;
  }
}

/** The JSON Schema published for editors (schema/shipgate.schema.json). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input" });
}
