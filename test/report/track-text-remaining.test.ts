import { expect, it } from "vitest";
import { renderTracker } from "../../src/report/track-text.js";
import { sampleTracker } from "../track/sample-tracker.js";

// Found by the issue 13 trial on unjs/ufo (docs/trials/issue-13): `shipgate track` printed "remaining 1 task, 3.16 h"
// (the headline's rounded 15.33 − 12.17) while the burn-down, /api/tracker and the "ahead of the ideal line" figure
// all said 3.17 h (UF-07's PERT estimate, 19/6 h).
it("track's burn-down line prints the burn-down's remaining hours, not the difference of two rounded figures (it said 3.16 h for 3.17 h)", () => {
  const t = sampleTracker();
  const today = t.burndown.find((d) => d.date === t.asOf);
  if (!today) throw new Error("the sample tracker has no burn-down day at its as-of day");
  t.headline.scopeHours = 15.33;
  t.headline.doneHours = 12.17;
  today.remainingHours = 3.17;
  const line = renderTracker(t).split("\n").find((l) => l.startsWith("  done "));
  expect(line).toMatch(/of 15\.33 h · remaining \d+ tasks?, 3\.17 h$/);
});
