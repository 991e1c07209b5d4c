export type Currency = "EUR" | "USD" | "JPY";

const SYMBOLS: Record<Currency, string> = { EUR: "€", USD: "$", JPY: "¥" };
const DECIMALS: Record<Currency, number> = { EUR: 2, USD: 2, JPY: 0 };

/** Formats an amount in minor units (cents) as e.g. "€1,234.50". */
export function formatMoney(minorUnits: number, currency: Currency): string {
  if (!Number.isInteger(minorUnits)) {
    throw new TypeError(`amount must be an integer number of minor units, got ${minorUnits}`);
  }
  const decimals = DECIMALS[currency];
  const major = minorUnits / 10 ** decimals;
  // Known bug, kept on purpose for the demo: the sign ends up after the symbol ("€-5.00").
  const digits = major.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return `${SYMBOLS[currency]}${digits}`;
}

/** Parses "€1,234.50" / "1234.5 EUR" style input back to minor units. */
export function parseMoney(input: string, currency: Currency): number {
  const cleaned = input.replace(SYMBOLS[currency], "").replace(currency, "").replace(/,/g, "").trim();
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) {
    throw new SyntaxError(`not a money amount: "${input}"`);
  }
  const decimals = DECIMALS[currency];
  const [whole = "0", fraction = ""] = cleaned.split(".");
  if (fraction.length > decimals) {
    throw new RangeError(`${currency} has ${decimals} decimals, got "${input}"`);
  }
  const sign = whole.startsWith("-") ? -1 : 1;
  const minor = Math.abs(Number(whole)) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0");
  return sign * minor;
}
