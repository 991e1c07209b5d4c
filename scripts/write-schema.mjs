// Writes schema/shipgate.schema.json from the zod schema (run after build: npm run schema).
import { writeFileSync } from "node:fs";
import { configJsonSchema } from "../dist/config/schema.js";

writeFileSync(new URL("../schema/shipgate.schema.json", import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
