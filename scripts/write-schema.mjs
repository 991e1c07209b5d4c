// Writes the JSON Schemas from the zod schemas (run after build: npm run schema):
// schema/shipgate.schema.json (shipgate.yaml) and schema/shipgate.plan.schema.json (the plan file).
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../dist/config/schema.js";
import { planJsonSchema } from "../dist/plan/validate-plan.js";

writeFileSync(new URL("../schema/shipgate.schema.json", import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
writeFileSync(new URL("../schema/shipgate.plan.schema.json", import.meta.url), `${JSON.stringify(planJsonSchema(), null, 2)}\n`);
