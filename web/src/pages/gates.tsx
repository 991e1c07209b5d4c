/**
 * Gates: every gate of the project (GET /api/gates: shipgate.yaml's and the built-in ones) with the last verdict
 * recorded for it, and its verdict on the newest snapshot now, condition by condition (GET /api/gate?gate=NAME, a
 * read: it records nothing — `shipgate gate` in CI does).
 */
import type { ComponentChildren } from "preact";
import { figure } from "../components/figure.js";
import { Badge, Card, Loaded, stateTone, Table, when, type Tone } from "../components/ui.js";
import { api, type Api } from "../api.js";
import { useResource } from "../live.js";

const GATE_EVENTS = ["snapshot.", "gate.evaluated", "baseline.set"];

export function GatesPage() {
  const gates = useResource((signal) => api.gates(signal), [], GATE_EVENTS);
  // A gate judges the newest snapshot: without one there is no verdict to ask for (and no 404 to log).
  const latest = useResource((signal) => api.snapshots({ limit: 1 }, signal), [], ["snapshot."]);
  return (
    <div class="page">
      <Loaded resource={gates} what="the gates">
        {(list) => (
          <Loaded resource={latest} what="the newest snapshot">
            {(rows) => (list.length === 0 ? <p class="empty">No gate configured.</p> : list.map((g) => <Gate gate={g} measured={rows.length > 0} />))}
          </Loaded>
        )}
      </Loaded>
    </div>
  );
}

const VERDICT_TONE: Record<Api.GateResponse["conditions"][number]["verdict"], Tone> = { pass: "good", fail: "bad", warn: "warn", waived: "neutral" };

function Gate({ gate, measured }: { gate: Api.GateListItem; measured: boolean }) {
  return (
    <Card title={`Gate ${gate.name}`} wide id={`gate-${gate.name}`}>
      {measured ? (
        <Judged gate={gate} />
      ) : (
        <>
          <GateHead gate={gate} verdict={<span class="verdict">unknown</span>} />
          <p class="empty">No snapshot yet: `shipgate assess` measures one, then the gate judges it. Its conditions: {gate.conditions.map((c) => `${c.id} ${c.op} ${figure(c.threshold)}`).join(", ")}.</p>
        </>
      )}
    </Card>
  );
}

function Judged({ gate }: { gate: Api.GateListItem }) {
  const result = useResource((signal) => api.gate({ gate: gate.name }, signal), [gate.name], GATE_EVENTS);
  return (
    <>
      <GateHead
        gate={gate}
        verdict={
          <Loaded resource={result} what={`gate ${gate.name}'s verdict`}>
            {(r) => (
              <span class={`verdict ${stateTone(r.verdict)}`} data-testid={`verdict-${gate.name}`}>
                {r.verdict}
              </span>
            )}
          </Loaded>
        }
      />
      <Loaded resource={result} what={`gate ${gate.name}'s conditions`}>
        {(r) => <Conditions result={r} />}
      </Loaded>
    </>
  );
}

function GateHead({ gate, verdict }: { gate: Api.GateListItem; verdict: ComponentChildren }) {
  return (
      <div class="gate-head" data-gate={gate.name}>
        {verdict}
        <div>
          <div>
            {gate.description ?? <span class="muted">No description.</span>} {gate.builtIn ? <Badge tone="neutral">built in</Badge> : <Badge tone="neutral">shipgate.yaml</Badge>}
          </div>
          <div class="muted" data-testid={`last-${gate.name}`}>
            Last recorded:{" "}
            {gate.last === null ? (
              <>
                none (<code>shipgate gate</code> or <code>shipgate assess --gate</code> records a verdict)
              </>
            ) : (
              <>
                <Badge tone={stateTone(gate.last.verdict)}>{gate.last.verdict}</Badge> on {when(gate.last.at)}
                {gate.last.snapshotId === null ? "" : ` (snapshot ${gate.last.snapshotId})`}
                {gate.last.failed.length > 0 ? ` — failed ${gate.last.failed.join(", ")}` : ""}
              </>
            )}
          </div>
        </div>
      </div>
  );
}

function Conditions({ result: r }: { result: Api.GateResponse }) {
  const c = r.counts;
  return (
    <>
      <p class="muted">
        Now, on snapshot {r.snapshot.id} of {when(r.snapshot.takenAt)}
        {r.snapshot.commit ? ` @ ${r.snapshot.commit.slice(0, 8)}` : ""} against baseline {r.baseline.spec}
        {r.baseline.snapshot ? ` (snapshot ${r.baseline.snapshot.id})` : r.baseline.missing ? ` — ${r.baseline.missing}` : ""} · {c.passed} passed, {c.failed} failed, {c.warned} warned, {c.waived} waived
      </p>
      <Table
        label={`Conditions of gate ${r.gate}`}
        rows={r.conditions}
        rowKey={(row) => row.id}
        empty="This gate has no condition."
        columns={[
          { title: "Condition", cell: (row) => <code>{row.id}</code> },
          { title: "Wants", cell: (row) => `${row.op} ${figure(row.threshold)}` },
          { title: "Value", numeric: true, cell: (row) => (row.value === null ? <span class="muted">unknown</span> : figure(row.value)) },
          { title: "Verdict", cell: (row) => <Badge tone={VERDICT_TONE[row.verdict]}>{row.verdict}</Badge> },
          { title: "Severity", cell: (row) => (row.severity === "block" ? "blocks" : "warns") },
          {
            title: "Why",
            cell: (row) => (
              <span class="muted">
                {row.missing ?? row.explanation}
                {row.waiver ? ` — waived until ${row.waiver.expires} by ${row.waiver.owner}: ${row.waiver.reason}` : ""}
                {row.itemsTotal > 0 ? ` (${row.itemsTotal} item${row.itemsTotal === 1 ? "" : "s"}: ${row.items.slice(0, 3).map((i) => i.message).join("; ")}${row.itemsTotal > 3 ? "; …" : ""})` : ""}
              </span>
            ),
          },
        ]}
      />
      {r.regressions.length > 0 ? <p class="error">Regressed tests: {r.regressions.map((t) => t.name).join(", ")}</p> : null}
      {r.flaky.length > 0 ? <p class="muted">Flaky (not counted): {r.flaky.map((t) => `${t.name} (${t.history})`).join(", ")}</p> : null}
      {r.waivers.expired.length > 0 ? <p class="muted">Expired waivers: {r.waivers.expired.map((w) => `${w.condition} (${w.expires})`).join(", ")}</p> : null}
    </>
  );
}
