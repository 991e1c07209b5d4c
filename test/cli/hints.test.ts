import { describe, expect, it } from "vitest";
import { cliHint } from "../../src/cli/hints.js";
import { REMEDY } from "../../src/errors.js";

describe("cliHint", () => {
  it.each([
    [`check the report path, or ${REMEDY.nameFormat}`, "check the report path, or pass --format"],
    [REMEDY.formatIs("istanbul-final"), "use --format istanbul-final"],
    [`shipgate reads advisories from \`osv-scanner --format json\`; for a SARIF log, ${REMEDY.formatIs("sarif")}`, "shipgate reads advisories from `osv-scanner --format json`; for a SARIF log, use --format sarif"],
    [`run \`shipgate init\`, or ${REMEDY.nameReport} (JUnit, lcov)`, "run `shipgate init`, or pass --report <file> (JUnit, lcov)"],
    [`run the tests first (or ${REMEDY.runCollectors}), or fix the report path`, "run the tests first (or drop --no-run), or fix the report path"],
    [`${REMEDY.assessFirst}; \`shipgate history\` lists the snapshots`, "run `shipgate assess` first (or `shipgate assess --gate NAME` to do both); `shipgate history` lists the snapshots"],
    ["check the file's permissions", "check the file's permissions"],
  ])("words %j as the command line says it", (core, cli) => {
    expect(cliHint(core)).toBe(cli);
  });

  it("leaves no hint as none", () => {
    expect(cliHint(undefined)).toBeUndefined();
  });
});
