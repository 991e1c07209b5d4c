import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a request's bearer token with the server's in constant time: both are hashed first, so the comparison
 * takes the same time whatever their lengths and wherever they first differ.
 */
export function createTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = createHash("sha256").update(token).digest();
  return (authorization) => {
    const match = /^Bearer (\S+)$/.exec(authorization ?? "");
    const given = createHash("sha256")
      .update(match?.[1] ?? "")
      .digest();
    // Hashing and comparing even without a token keeps the time the same for every refusal.
    return timingSafeEqual(expected, given) && match !== null;
  };
}

/** Methods that change nothing: every other method needs the token. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);
