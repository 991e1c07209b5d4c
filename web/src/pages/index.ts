/** The dashboard's pages, in the navigation's order. Each page is one module with one job; routes are hashes (#/board). */
import type { FunctionComponent } from "preact";
import { AlertsPage } from "./alerts.js";
import { BoardPage } from "./board.js";
import { GatesPage } from "./gates.js";
import { OverviewPage } from "./overview.js";
import { PlanPage } from "./plan.js";
import { TestsPage } from "./tests.js";
import { TrackerPage } from "./tracker.js";

export interface Page {
  /** The hash route: `#/${path}`. */
  path: string;
  title: string;
  component: FunctionComponent;
}

export const PAGES: readonly Page[] = [
  { path: "overview", title: "Overview", component: OverviewPage },
  { path: "tracker", title: "Tracker", component: TrackerPage },
  { path: "plan", title: "Plan", component: PlanPage },
  { path: "board", title: "Board", component: BoardPage },
  { path: "tests", title: "Tests & coverage", component: TestsPage },
  { path: "gates", title: "Gates", component: GatesPage },
  { path: "alerts", title: "Alerts", component: AlertsPage },
];
