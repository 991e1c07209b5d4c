export interface SignupInput {
  email?: unknown;
  username?: unknown;
  age?: unknown;
  inviteCode?: unknown;
}

export type ValidationResult = { ok: true } | { ok: false; errors: Record<string, string> };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const USERNAME = /^[a-z][a-z0-9_]{2,19}$/;
const RESERVED = new Set(["admin", "root", "support"]);

/** Validates a signup form; collects every error instead of stopping at the first. */
export function validateSignup(input: SignupInput): ValidationResult {
  const errors: Record<string, string> = {};

  if (typeof input.email !== "string" || !EMAIL.test(input.email)) {
    errors.email = "must be a valid email address";
  }

  if (typeof input.username !== "string") {
    errors.username = "is required";
  } else if (!USERNAME.test(input.username)) {
    errors.username = "must be 3-20 lowercase letters, digits or _ and start with a letter";
  } else if (RESERVED.has(input.username)) {
    errors.username = "is reserved";
  }

  if (input.age !== undefined) {
    if (typeof input.age !== "number" || !Number.isInteger(input.age)) {
      errors.age = "must be a whole number";
    } else if (input.age < 16) {
      errors.age = "must be at least 16";
    } else if (input.age > 130) {
      errors.age = "is not plausible";
    }
  }

  if (input.inviteCode !== undefined) {
    if (typeof input.inviteCode !== "string" || !/^[A-Z0-9]{8}$/.test(input.inviteCode)) {
      errors.inviteCode = "must be 8 characters A-Z or 0-9";
    }
  }

  return Object.keys(errors).length === 0 ? { ok: true } : { ok: false, errors };
}
