import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "junit"],
    outputFile: { junit: "reports/junit.xml" },
    coverage: {
      enabled: true,
      // The demo has a failing test on purpose; still write the coverage reports.
      reportOnFailure: true,
      provider: "v8",
      include: ["src/**/*.ts"],
      // "lcovonly" writes the same reports/coverage/lcov.info as "lcov", without the HTML pages.
      reporter: ["text", "lcovonly", "json-summary", "json", "cobertura"],
      reportsDirectory: "reports/coverage",
    },
  },
});
