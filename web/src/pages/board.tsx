/** The Board page (docs/serve.md, Dashboard). */
import { Card } from "../components/ui.js";

export function BoardPage() {
  return (
    <div class="page">
      <Card title="Board">
        <p class="empty">Not built yet.</p>
      </Card>
    </div>
  );
}
