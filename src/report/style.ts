const paint = (on: boolean, code: string) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** ANSI styles for terminal renderers; identity functions when color is off. */
export function styles(color: boolean) {
  return { bold: paint(color, "1"), dim: paint(color, "2"), red: paint(color, "31"), green: paint(color, "32"), yellow: paint(color, "33") };
}

export type Styles = ReturnType<typeof styles>;
