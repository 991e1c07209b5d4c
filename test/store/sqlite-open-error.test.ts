import { describe, expect, it } from "vitest";
import { sqliteOpenError } from "../../src/store/sqlite/connection.js";

// What better-sqlite3 12 threw in a project whose .npmrc has ignore-scripts=true (its native part never built).
const NOT_BUILT = `Could not locate the bindings file. Tried:
 → /p/node_modules/better-sqlite3/build/better_sqlite3.node
 → /p/node_modules/better-sqlite3/build/Debug/better_sqlite3.node
 → /p/node_modules/better-sqlite3/build/Release/better_sqlite3.node
 → /p/node_modules/better-sqlite3/out/Debug/better_sqlite3.node
 → /p/node_modules/better-sqlite3/Debug/better_sqlite3.node`;

describe("opening the SQLite store fails", () => {
  it("says in one line that better-sqlite3 is not built and how to rebuild it (15 lines of tried paths before)", () => {
    const error = sqliteOpenError(".shipgate/shipgate.db", new Error(NOT_BUILT));
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toBe("[store] [sqlite] better-sqlite3's native module is not built (installed with ignore-scripts?)");
    expect(error.hint).toContain("npm rebuild better-sqlite3 --ignore-scripts=false");
  });

  it("says so when it was built for another Node.js", () => {
    const error = sqliteOpenError("x.db", new Error("The module '/p/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 127. This version of Node.js requires NODE_MODULE_VERSION 115."));
    expect(error.message).toContain("built for another Node.js version");
  });

  it("keeps other causes as they are, with the location", () => {
    expect(sqliteOpenError("x.db", new Error("file is not a database")).message).toBe("[store] [sqlite] x.db: file is not a database");
  });
});
