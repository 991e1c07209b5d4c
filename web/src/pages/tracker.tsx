/** The Tracker page (docs/serve.md, Dashboard). */
import { Card } from "../components/ui.js";

export function TrackerPage() {
  return (
    <div class="page">
      <Card title="Tracker">
        <p class="empty">Not built yet.</p>
      </Card>
    </div>
  );
}
