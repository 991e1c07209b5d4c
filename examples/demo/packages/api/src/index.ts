export { RateLimiter, type RateLimiterOptions } from "./rate-limiter.js";
export { validateSignup, type SignupInput, type ValidationResult } from "./validator.js";
export { formatMoney, parseMoney, type Currency } from "./money.js";
