import { parseConfig } from "../../src/config/parse-config.js";

/** The message a config text is rejected with; fails the test when it is accepted. */
export function errorOf(text: string): string {
  try {
    parseConfig(text, "shipgate.yaml");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be rejected");
}
