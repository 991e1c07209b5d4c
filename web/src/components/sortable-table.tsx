/**
 * A table whose column headers sort it (click again to reverse). Values are compared as given: numbers as numbers,
 * text as text; null (unknown) always sorts last, whichever the direction, so unknown is never read as 0.
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

export type SortValue = number | string | null;

export interface SortableColumn<T> {
  title: string;
  cell: (row: T) => ComponentChildren;
  /** What the column sorts by; none: not sortable. */
  sort?: (row: T) => SortValue;
  numeric?: boolean;
}

export function SortableTable<T>(props: {
  rows: readonly T[];
  columns: SortableColumn<T>[];
  rowKey: (row: T) => string;
  label: string;
  empty: string;
  /** The column (index) and direction sorted first. */
  initial?: { column: number; descending?: boolean };
  onRow?: (row: T) => void;
  selected?: string | null;
}) {
  const [order, setOrder] = useState({ column: props.initial?.column ?? 0, descending: props.initial?.descending ?? false });
  if (props.rows.length === 0) return <p class="empty">{props.empty}</p>;
  const by = props.columns[order.column]?.sort;
  const rows = by ? [...props.rows].sort((a, b) => compare(by(a), by(b), order.descending)) : props.rows;
  return (
    <table aria-label={props.label} class="sortable">
      <thead>
        <tr>
          {props.columns.map((c, i) => (
            <th class={c.numeric ? "num" : ""} aria-sort={i === order.column ? (order.descending ? "descending" : "ascending") : undefined}>
              {c.sort ? (
                <button type="button" class="sort" onClick={() => setOrder({ column: i, descending: i === order.column ? !order.descending : c.numeric === true })}>
                  {c.title}
                  <span class="arrow" aria-hidden="true">{i === order.column ? (order.descending ? " ▼" : " ▲") : ""}</span>
                </button>
              ) : (
                c.title
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const key = props.rowKey(row);
          const classes = [props.onRow ? "clickable" : "", props.selected === key ? "selected" : ""].filter(Boolean).join(" ");
          return (
            <tr key={key} class={classes} data-row={key} onClick={props.onRow ? () => props.onRow?.(row) : undefined}>
              {props.columns.map((c) => (
                <td class={c.numeric ? "num" : ""}>{c.cell(row)}</td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function compare(a: SortValue, b: SortValue, descending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const order = typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
  return descending ? -order : order;
}
