import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";

const root = fileURLToPath(new URL("../../", import.meta.url));

// RFC 3986 characters: unreserved, reserved, and percent-escapes; a raw space or a lone "%" is not a URI.
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The official SARIF 2.1.0 schema (draft-04, shipped in @microsoft/jest-sarif), with the formats it uses checked rather than ignored. */
export function sarifValidator() {
  // ajv-draft-04 is CommonJS: its class is both `module.exports` and `.default`; the types know only the latter.
  // unicodeRegExp off: the schema's `language` pattern ("…[a-zA-Z]{2}]?$") is valid only as a non-Unicode RegExp.
  const ajv = new Ajv.default({ allErrors: true, unicodeRegExp: false });
  ajv.addFormat("uri", (value: string) => URI_CHARS.test(value) && /^[a-z][a-z0-9+.-]*:/i.test(value));
  ajv.addFormat("uri-reference", (value: string) => URI_CHARS.test(value));
  ajv.addFormat("date-time", (value: string) => RFC3339.test(value));
  const schema = JSON.parse(readFileSync(join(root, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as object;
  return ajv.compile(schema);
}
