/** The Tests & coverage page (docs/serve.md, Dashboard). */
import { Card } from "../components/ui.js";

export function TestsPage() {
  return (
    <div class="page">
      <Card title="Tests & coverage">
        <p class="empty">Not built yet.</p>
      </Card>
    </div>
  );
}
