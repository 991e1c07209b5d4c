import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ShipgateError } from "../errors.js";

/** The shortest token a --token-file may hold: shorter ones can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** Reads a token file: its first line, trimmed. USAGE when it cannot be read or is too short. */
export async function readTokenFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ShipgateError("USAGE", `[serve] token file ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, { hint: "name a readable file holding the token", cause: error });
  }
  const token = (text.split("\n")[0] ?? "").trim();
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ShipgateError("USAGE", `[serve] token file ${path}: its first line must be a token of at least ${MIN_TOKEN_LENGTH} characters without spaces`, { hint: "write one, e.g. openssl rand -hex 32 > FILE" });
  }
  return token;
}

/** A new random token (256 bits, hex) written to `path` readable by its owner only (mode 0600). */
export async function writeNewToken(path: string): Promise<string> {
  const token = randomBytes(32).toString("hex");
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  // An existing file keeps its mode on write: make it 0600 whatever it was.
  await chmod(path, 0o600);
  return token;
}
