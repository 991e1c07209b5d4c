#!/bin/bash
# usage: cmp.sh NAME CWD [assess args...]   — runs OLD and NEW assess --json, compares stdout, stderr, rc, db rows
name=$1; cwd=$2; shift 2
out=/tmp/trial/out/$name; mkdir -p $out; rm -f $out/*
for v in old new; do
  if [ $v = old ]; then bin=/tmp/lead/old/dist/cli/main.js; else bin=/work/wt/trial/dist/cli/main.js; fi
  (cd $cwd && SHIPGATE_NOW=2026-12-01T00:00:00Z timeout 300 node $bin assess --db $out/$v.db --json "$@" > $out/$v.stdout 2> $out/$v.stderr; echo $? > $out/$v.rc)
  [ -f $out/$v.db ] && node /tmp/trial/tools/dumpdb.mjs $out/$v.db | sed -E "s/\"applied_at\":\"[^\"]*\"/\"applied_at\":\"T\"/" > $out/$v.rows 2>&1 || echo "(no db)" > $out/$v.rows
done
res=SAME
for v in old new; do sed -E "s/ in [0-9]+ ms/ in N ms/g" $out/$v.stderr > $out/$v.stderrn; done
for f in stdout stderrn rc rows; do cmp -s $out/old.$f $out/new.$f || { res=DIFF; echo "  $name: $f differs"; }; done
echo "$res $name rc=$(cat $out/new.rc) stdout=$(wc -c < $out/new.stdout)B rows=$(grep -c '' $out/new.rows) err=$(head -c 200 $out/new.stderr | tr '\n' ' ')"
