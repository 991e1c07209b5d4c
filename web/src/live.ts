/**
 * Live updates: one EventSource on `/api/events/stream` for the whole page (the server sends every store event; the
 * browser reconnects with Last-Event-ID by itself). A page says which event types concern it and re-reads its data
 * when one arrives — the dashboard computes nothing from events, it asks the server again.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Api } from "./api.js";

export type LiveStatus = "connecting" | "live" | "reconnecting";
type Listener = (event: Api.StoreEvent) => void;

const listeners = new Set<Listener>();
const statusListeners = new Set<(status: LiveStatus) => void>();
let source: EventSource | undefined;
let status: LiveStatus = "connecting";
/** The newest event id seen: shown in the header, and a test's hook to know the stream delivered. */
export let lastEventId = 0;

function setStatus(next: LiveStatus): void {
  status = next;
  for (const listener of statusListeners) listener(next);
}

function connect(): void {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource("api/events/stream");
  source.onopen = () => setStatus("live");
  source.onerror = () => setStatus("reconnecting");
  // Named events (event: <type>) do not reach onmessage: one listener per type the store writes.
  const deliver = (message: MessageEvent<string>) => {
    let event: Api.StoreEvent;
    try {
      event = JSON.parse(message.data) as Api.StoreEvent;
    } catch {
      return;
    }
    lastEventId = Math.max(lastEventId, event.id);
    document.documentElement.dataset.lastEventId = String(lastEventId);
    for (const listener of listeners) listener(event);
  };
  source.onmessage = deliver;
  for (const type of KNOWN_TYPES) source.addEventListener(type, deliver as EventListener);
}

/**
 * The store's event types (task.* from store/task-state.ts taskEventType, run.*, snapshot.created, plan.imported,
 * gate.evaluated, baseline.set, risk.updated, track.alert, alert): SSE needs a listener per named event.
 */
const KNOWN_TYPES = [
  "snapshot.created",
  "plan.imported",
  "task.started",
  "task.done",
  "task.failed",
  "task.blocked",
  "task.pending",
  "run.started",
  "run.finished",
  "gate.evaluated",
  "baseline.set",
  "risk.updated",
  "track.alert",
  "alert",
  "claim.conflict",
];

/** Calls `listener` for every store event while mounted. */
export function subscribe(listener: Listener): () => void {
  connect();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The stream's state, for the header's dot. */
export function useLiveStatus(): LiveStatus {
  const [value, setValue] = useState(status);
  useEffect(() => {
    connect();
    statusListeners.add(setValue);
    return () => {
      statusListeners.delete(setValue);
    };
  }, []);
  return value;
}

/** Which events make a page re-read: a prefix list ("task." matches every task event) or every event. */
export type EventFilter = readonly string[] | "all";

const matches = (filter: EventFilter, type: string) => filter === "all" || filter.some((prefix) => type === prefix || (prefix.endsWith(".") && type.startsWith(prefix)));

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
}

/**
 * Loads `load()` on mount and whenever `deps` change, and again (debounced, 200 ms) after an event that `filter`
 * matches. After an event the previous data stays on screen while the reload runs, so live updates do not flicker;
 * when `deps` change it is dropped (it answers another question: another task's runs, another day's tracker).
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[], filter: EventFilter): Resource<T> {
  const [state, setState] = useState<Resource<T>>({ data: undefined, error: undefined, loading: true });
  const [version, setVersion] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(
    () =>
      subscribe((event) => {
        if (!matches(filter, event.type)) return;
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setVersion((v) => v + 1), 200);
      }),
    [],
  );

  const shownDeps = useRef<readonly unknown[] | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    const sameDeps = shownDeps.current !== undefined && shownDeps.current.length === deps.length && deps.every((d, i) => Object.is(d, shownDeps.current?.[i]));
    shownDeps.current = deps;
    setState((s) => (sameDeps ? { ...s, loading: true } : { data: undefined, error: undefined, loading: true }));
    load(controller.signal).then(
      (data) => {
        // An answer that arrives after its request was superseded is not shown.
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ data: s.data, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
      },
    );
    return () => controller.abort();
  }, [...deps, version]);

  return state;
}
