import { describe, expect, it } from "vitest";
import { addToGitignore } from "../../src/init/gitignore.js";

const HEADER = "# shipgate: its local store and the reports its collectors write\n";

describe("addToGitignore", () => {
  it.each([
    ["no .gitignore yet", undefined, [".shipgate", "reports"], `${HEADER}.shipgate/\n/reports/\n`, [".shipgate/", "/reports/"]],
    ["an empty one", "", [".shipgate"], `${HEADER}.shipgate/\n`, [".shipgate/"]],
    ["one without a final newline", "dist", [".shipgate"], `dist\n\n${HEADER}.shipgate/\n`, [".shipgate/"]],
    ["one with a final newline", "dist\n", [".shipgate"], `dist\n\n${HEADER}.shipgate/\n`, [".shipgate/"]],
    ["every folder already there, in other spellings", "/.shipgate\nreports\n", [".shipgate", "reports", "packages/api/reports"], null, []],
    ["an anchored entry does not cover a nested folder", "/reports/\n.shipgate/\n", ["reports", "packages/api/reports"], `/reports/\n.shipgate/\n\n${HEADER}/packages/api/reports/\n`, ["/packages/api/reports/"]],
    ["comments and negations do not count", "# reports\n!reports/\n.shipgate/\n", ["reports"], `# reports\n!reports/\n.shipgate/\n\n${HEADER}/reports/\n`, ["/reports/"]],
    ["a folder named twice is added once", undefined, ["reports", "reports"], `${HEADER}/reports/\n`, ["/reports/"]],
  ])("%s", (_title, existing, folders, text, added) => {
    expect(addToGitignore(existing, folders)).toEqual({ text, added });
  });

  it("adds nothing the second time", () => {
    const first = addToGitignore("node_modules/\n", [".shipgate", "reports"]);
    expect(addToGitignore(first.text ?? "", [".shipgate", "reports"])).toEqual({ text: null, added: [] });
  });
});
