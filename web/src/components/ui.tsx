/** The dashboard's small building blocks: cards, figures, badges, tables, loading and error states. */
import type { ComponentChildren } from "preact";
import type { Resource } from "../live.js";

export function Card(props: { title: string; children: ComponentChildren; wide?: boolean; id?: string }) {
  return (
    <section class={props.wide ? "card wide" : "card"} aria-label={props.title} {...(props.id ? { id: props.id } : {})}>
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A figure with its label; null is shown as "unknown", never as 0. */
export function Stat(props: { label: string; value: number | string | null | undefined; unit?: string; hint?: string; tone?: Tone; testId?: string }) {
  const shown = props.value === null || props.value === undefined ? "unknown" : typeof props.value === "number" ? formatNumber(props.value) : props.value;
  return (
    <div class={`stat ${props.tone ?? ""}`} data-testid={props.testId}>
      <div class="stat-label">{props.label}</div>
      <div class={shown === "unknown" ? "stat-value unknown" : "stat-value"}>
        {shown}
        {shown !== "unknown" && props.unit ? <span class="unit">{props.unit}</span> : null}
      </div>
      {props.hint ? <div class="stat-hint">{props.hint}</div> : null}
    </div>
  );
}

export type Tone = "good" | "bad" | "warn" | "neutral" | "";

export function Badge(props: { tone: Tone; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge ${props.tone}`} {...(props.title ? { title: props.title } : {})}>
      {props.children}
    </span>
  );
}

/** Tones of the task states, the gate verdicts and the alerts' severities. */
export const stateTone = (state: string): Tone =>
  (({ done: "good", passed: "good", GO: "good", met: "good", "on-track": "good", in_progress: "warn", pending: "neutral", failed: "bad", errored: "bad", blocked: "bad", "NO-GO": "bad", missed: "bad", "at-risk": "warn" }) as Record<string, Tone>)[state] ?? "neutral";

export function Table<T>(props: { rows: readonly T[]; columns: { title: string; cell: (row: T) => ComponentChildren; numeric?: boolean }[]; empty: string; onRow?: (row: T) => void; rowKey: (row: T) => string; label: string }) {
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  return (
    <table aria-label={props.label}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th class={c.numeric ? "num" : ""}>{c.title}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} class={props.onRow ? "clickable" : ""} onClick={props.onRow ? () => props.onRow?.(row) : undefined}>
            {props.columns.map((c) => (
              <td class={c.numeric ? "num" : ""}>{c.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Renders a resource's data, with its first load and its error shown plainly. */
export function Loaded<T>(props: { resource: Resource<T>; children: (data: T) => ComponentChildren; what: string }) {
  const { data, error, loading } = props.resource;
  if (data === undefined) {
    if (error) return <ErrorNote error={error} what={props.what} />;
    return <p class="loading">{loading ? `Loading ${props.what}…` : `No ${props.what}.`}</p>;
  }
  return (
    <>
      {error ? <ErrorNote error={error} what={props.what} /> : null}
      {props.children(data)}
    </>
  );
}

export function ErrorNote(props: { error: Error; what: string }) {
  const code = (props.error as { code?: string }).code;
  return (
    <p class="error" role="alert">
      Could not load {props.what}: {props.error.message}
      {code ? ` (${code})` : ""}
    </p>
  );
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/** A percent figure with up to two decimals, as the CLI prints it (97.53 %); null: unknown. */
export const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? "unknown" : `${(Math.round(value * 100) / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })} %`;

/** "2026-11-24 18:00" from an ISO time (UTC, as the CLI prints). */
export const when = (iso: string | null | undefined): string => (iso ? iso.replace("T", " ").slice(0, 16) : "—");

/** "3 h 20 min" / "2 d 4 h" from milliseconds. */
export function age(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
