/** The Plan page (docs/serve.md, Dashboard). */
import { Card } from "../components/ui.js";

export function PlanPage() {
  return (
    <div class="page">
      <Card title="Plan">
        <p class="empty">Not built yet.</p>
      </Card>
    </div>
  );
}
