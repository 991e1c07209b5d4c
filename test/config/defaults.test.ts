import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { configSchema } from "../../src/config/schema.js";

describe("defaultConfig", () => {
  it("is what the schema makes of `version: 1`, key order included (written out so that no zod loads without a shipgate.yaml)", () => {
    expect(JSON.stringify(defaultConfig())).toBe(JSON.stringify(configSchema.parse({ version: 1 })));
    expect(defaultConfig()).toStrictEqual(configSchema.parse({ version: 1 }));
  });

  it("is a fresh object each time: a caller that changes it changes no other run's config", () => {
    const a = defaultConfig();
    a.collectors.push({} as never);
    a.alerts.metrics.pop();
    expect(defaultConfig()).toStrictEqual(configSchema.parse({ version: 1 }));
  });
});
