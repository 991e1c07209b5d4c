import { describe, expect, it } from "vitest";
import { compareCheckout } from "../../src/gate/stale.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const git = (commit: string | null, dirty: boolean | null, tree: string | null = null) => ({ commit, branch: "main", dirty, tree });

describe("compareCheckout", () => {
  it("is null when the checkout is what the snapshot measured, or neither is in git", () => {
    expect(compareCheckout(git(A, false), git(A, false))).toBeNull();
    expect(compareCheckout(git(A, true, "t1"), git(A, true, "t1"))).toBeNull();
    expect(compareCheckout(git(null, null), git(null, null))).toBeNull();
  });

  it("says what differs: the commit, the uncommitted changes, or that it cannot tell", () => {
    expect(compareCheckout(git(A, false), git(B, false))?.reason).toBe("commit");
    expect(compareCheckout(git(A, false), git(A, true, "t1"))?.reason).toBe("working-tree");
    expect(compareCheckout(git(A, true, "t1"), git(A, true, "t2"))?.reason).toBe("working-tree");
    expect(compareCheckout(git(A, true, null), git(A, true, "t2"))?.reason).toBe("unknown");
    expect(compareCheckout(git(A, false), git(null, null))?.reason).toBe("unknown");
    expect(compareCheckout(git(A, false), git(A, null))?.reason).toBe("unknown");
  });
});
