#!/usr/bin/env python3
"""Issue 13 trial: every snapshot's figures as vitest printed them, as GET /api/snapshots/:id returns them and as
`shipgate history --json` prints them. Usage: compare.py SERVER_URL VITEST_LOG_DIR SHIPGATE_BIN UFO_CLONE"""
import json, re, subprocess, sys, urllib.request
url, logs, sg, clone = sys.argv[1:5]
get = lambda path: json.load(urllib.request.urlopen(url + path))
env = {"SHIPGATE_NOW": "2025-04-15T12:00:00Z", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
history = {r["id"]: r for r in json.loads(subprocess.run(["node", sg, "history", "--json", "--limit", "50"], cwd=clone, env=env, capture_output=True, text=True, check=True).stdout)}
# which vitest log each snapshot came from: the replay's order
logs_in_order = ["46d0a04", "9eaa57c", "9eaa57c-with-4d024df-tests", "4d024df", "7959de5", "3c4b43d", "31ea74c", "8515b24"]
strip = lambda s: re.sub(r"\x1b\[[0-9;]*m", "", s)
print("| # | commit | vitest `Tests` | API passed/failed/skipped/total | CLI history | vitest All files % Stmts / Branch / Funcs / Lines | API lines / branches / functions / statements | match |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
ok_all = True
for i, tag in enumerate(logs_in_order, start=1):
    text = strip(open(f"{logs}/vitest-{tag}.txt").read())
    tests = re.search(r"^\s*Tests\s+(.*)$", text, re.M).group(1).strip()
    cov = [c.strip() for c in re.search(r"^All files\s*\|(.*)$", text, re.M).group(1).split("|")[:4]]
    passed = int(re.search(r"(\d+) passed", tests).group(1)); failed = int((re.search(r"(\d+) failed", tests) or [0, 0])[1])
    skipped = int((re.search(r"(\d+) skipped", tests) or [0, 0])[1]); total = int(re.search(r"\((\d+)\)", tests).group(1))
    tests_md = tests.replace("|", "\\|")
    s = get(f"/api/snapshots/{i}")["summary"]; t, c = s["tests"], s["coverage"]; h = history[i]
    api_t = (t["passed"], t["failed"] + t["errored"], t["skipped"], t["total"])
    cli_t = (h["tests"]["passed"], h["tests"]["failed"] + h["tests"]["errored"], h["tests"]["skipped"], h["tests"]["total"])
    same = api_t == (passed, failed, skipped, total) == cli_t and [float(cov[3]), float(cov[1]), float(cov[2])] == [c["lines"], c["branches"], c["functions"]]
    ok_all &= same
    print(f"| {i} | {s['snapshot']['git']['commit'][:7]}{' (+tests of 4d024df)' if 'with' in tag else ''} | {tests_md} | {'/'.join(map(str, api_t))} | {'/'.join(map(str, cli_t))} | {' / '.join(cov)} | {c['lines']} / {c['branches']} / {c['functions']} / {'unknown' if c['statements'] is None else c['statements']} | {'yes' if same else 'NO'} |")
print(f"\nall tests and lines/branches/functions figures match: {ok_all}")
