import { describe, expect, it } from "vitest";
import { errorLines } from "../../src/collect/error-lines.js";

const feed = (chunks: string[]) => {
  const scan = errorLines();
  for (const c of chunks) scan.push(c);
  return scan.lines();
};

describe("errorLines", () => {
  it("keeps the first error-looking line and a few after it, without stack frames, across chunk borders", () => {
    // jest 30 without jest-junit installed printed this (stderr), then exited 1.
    const jest = "Error: Could not resolve a module for a custom reporter.\n  Module name: jest-junit\n    at /x/jest-config/build/index.js:1616:15\n    at Array.map (<anonymous>)\n";
    expect(feed([jest.slice(0, 20), jest.slice(20), `${"    at frame (x.js:1:1)\n".repeat(500)}`])).toBe("Error: Could not resolve a module for a custom reporter.\n  Module name: jest-junit");
  });

  it("finds an error printed before more than the kept 4 KB tail", () => {
    expect(feed(["npm error audit endpoint returned an error\n", "progress line\n".repeat(1000)])).toBe(`npm error audit endpoint returned an error${"\nprogress line".repeat(4)}`);
  });

  it("is empty when no line looks like an error; reads a last line without newline", () => {
    expect(feed(["all good\n", "done"])).toBe("");
    expect(feed(["ok\ncommand not found"])).toBe("command not found");
  });
});
