#!/usr/bin/env bash
# Abuse of a running `shipgate serve` (issue 13 trial). Usage: abuse.sh URL TOKEN
U=$1; T=$2
req() { # label, curl args…
  local label=$1; shift
  local out; out=$(curl -s -o "${TMPDIR:-/tmp}/abuse.body" -w '%{http_code} %{content_type}' "$@")
  printf '%-58s → %s  %s\n' "$label" "$out" "$(head -c 230 "${TMPDIR:-/tmp}/abuse.body" | tr '\n' ' ')"
}
big=$(python3 -c 'print("{\"agent\":\"" + "x"*70000 + "\"}")')
req "POST done, no token"                         -X POST $U/api/tasks/UF-07/done -H 'content-type: application/json' -d '{}'
req "POST done, wrong token"                      -X POST $U/api/tasks/UF-07/done -H "authorization: Bearer nope" -d '{}'
req "POST done, token as ?token= query"           -X POST "$U/api/tasks/UF-07/done?token=$T" -d '{}'
req "PUT baseline, no token"                      -X PUT $U/api/baselines/main -d '{}'
req "POST cancel run, no token"                   -X POST $U/api/runs/1/cancel -d '{}'
req "POST risk, no token"                         -X POST $U/api/risks/R1 -d '{"status":"closed"}'
req "DELETE /api/tasks, no token"                 -X DELETE $U/api/tasks
req "POST unknown route, no token"                -X POST $U/api/nothing -d '{}'
req "POST unknown route, token"                   -X POST $U/api/nothing -H "authorization: Bearer $T" -d '{}'
req "POST start, token, corrupt JSON"             -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"agent": "codex",'
req "POST start, token, JSON array body"          -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" -H 'content-type: application/json' -d '[1,2]'
req "POST start, token, binary body"              -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" --data-binary @/work/wt/trial13/dist/web/index.html -H 'content-type: application/octet-stream'
req "POST start, token, unknown field"            -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"agent":"codex","rm":"-rf"}'
req "POST start, token, agent as number"          -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"agent":7}'
req "POST start, token, 70 kB body"               -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" -H 'content-type: application/json' -d "$big"
req "POST start, no token, 70 kB body"            -X POST $U/api/tasks/UF-07/start -H 'content-type: application/json' -d "$big"
req "POST start, token, 70 kB chunked (no length)" -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" -H 'content-type: application/json' -H 'transfer-encoding: chunked' -d "$big"
req "POST start, token, content-length lies (5)"  -X POST $U/api/tasks/UF-07/start -H "authorization: Bearer $T" -H 'content-type: application/json' -H 'content-length: 5' -d '{"agent":"codex"}'
req "POST start, token, unknown task"             -X POST "$U/api/tasks/NOPE/start" -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"agent":"codex"}'
req "POST done, token, already done task"         -X POST "$U/api/tasks/UF-01/done" -H "authorization: Bearer $T" -H 'content-type: application/json' -d '{"agent":"codex"}'
req "GET snapshots?limit=abc"                     "$U/api/snapshots?limit=abc"
req "GET snapshots?limit=-1"                      "$U/api/snapshots?limit=-1"
req "GET snapshots?limit=99999999999999999999"    "$U/api/snapshots?limit=99999999999999999999"
req "GET snapshots?limit=1&limit=2"               "$U/api/snapshots?limit=1&limit=2"
req "GET snapshots/latest~abc"                    "$U/api/snapshots/latest~abc"
req "GET snapshots/latest~99"                     "$U/api/snapshots/latest~99"
req "GET snapshots/0x10"                          "$U/api/snapshots/0x10"
req "GET snapshots/1e3"                           "$U/api/snapshots/1e3"
req "GET diff?a=nope"                             "$U/api/diff?a=nope"
req "GET gate?gate=nope"                          "$U/api/gate?gate=nope"
req "GET gate?date=2025-02-30"                    "$U/api/gate?date=2025-02-30"
req "GET gate?baseline=ref:--upload-pack=x"       "$U/api/gate?baseline=ref:--upload-pack=touch%20/tmp/pwned"
req "GET tracker?asOf=2025-13-45"                 "$U/api/tracker?asOf=2025-13-45"
req "GET tracker?asOf=1900-01-01"                 "$U/api/tracker?asOf=1900-01-01"
req "GET tasks?state=bogus"                       "$U/api/tasks?state=bogus"
req "GET runs?open=maybe"                         "$U/api/runs?open=maybe"
req "GET events?afterId=-5"                       "$U/api/events?afterId=-5"
req "GET events?limit=0"                          "$U/api/events?limit=0"
req "GET runs/abc/log"                            "$U/api/runs/abc/log"
req "GET runs/999/log"                            "$U/api/runs/999/log"
req "GET runs/1/log?tail=-3"                      "$U/api/runs/1/log?tail=-3"
req "GET runs/..%2F..%2Fetc%2Fpasswd/log"         "$U/api/runs/..%2F..%2Fetc%2Fpasswd/log"
req "GET /../../etc/passwd (path-as-is)"          --path-as-is "$U/../../etc/passwd"
req "GET /%2e%2e/%2e%2e/etc/passwd"               --path-as-is "$U/%2e%2e/%2e%2e/etc/passwd"
req "GET /assets/..%2f..%2f..%2fpackage.json"     --path-as-is "$U/assets/..%2f..%2f..%2fpackage.json"
req "GET /assets/../../../package.json"           --path-as-is "$U/assets/../../../package.json"
req "GET /assets/%2e%2e%5c%2e%2e%5cpackage.json"  --path-as-is "$U/assets/%2e%2e%5c%2e%2e%5cpackage.json"
req "GET /index.html%00.js"                       --path-as-is "$U/index.html%00.js"
req "GET /.shipgate/token"                        --path-as-is "$U/.shipgate/token"
req "GET /assets/%2e%2e/%2e%2e/.shipgate/token"   --path-as-is "$U/assets/%2e%2e/%2e%2e/.shipgate/token"
req "GET /api/%ZZ (bad escape)"                   --path-as-is "$U/api/snapshots/%ZZ"
req "GET /api/tasks?state=%ZZ"                    --path-as-is "$U/api/tasks?state=%ZZ"
req "GET / with Host: evil"                       -H 'Host: evil.example' "$U/"
req "OPTIONS /api/tasks (CORS preflight)"         -X OPTIONS -H 'Origin: http://evil.example' -H 'Access-Control-Request-Method: POST' -i "$U/api/tasks"
req "GET /metrics"                                "$U/metrics"
