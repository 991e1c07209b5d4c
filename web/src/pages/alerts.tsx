/** The Alerts page (docs/serve.md, Dashboard). */
import { Card } from "../components/ui.js";

export function AlertsPage() {
  return (
    <div class="page">
      <Card title="Alerts">
        <p class="empty">Not built yet.</p>
      </Card>
    </div>
  );
}
