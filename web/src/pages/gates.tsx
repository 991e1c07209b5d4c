/** The Gates page (docs/serve.md, Dashboard). */
import { Card } from "../components/ui.js";

export function GatesPage() {
  return (
    <div class="page">
      <Card title="Gates">
        <p class="empty">Not built yet.</p>
      </Card>
    </div>
  );
}
