#!/bin/bash
# usage: plancmp.sh DIR AGENT_A AGENT_B TASK_TO_FAIL — the same command sequence with OLD and NEW, outputs compared
dir=$1; A=$2; B=$3; T=$4
for v in old new; do
  if [ $v = old ]; then bin=/tmp/lead/old/dist/cli/main.js; else bin=/work/wt/trial/dist/cli/main.js; fi
  out=/tmp/trial/out/plan-$(basename $dir)-$v.txt; db=/tmp/trial/out/plan-store.db; rm -f $out $db*
  cp $dir/shipgate.plan.yaml /tmp/trial/out/plan.bak
  run() { echo "\$ $*" >> $out; (cd $dir && SHIPGATE_NOW=2026-12-01T00:00:00Z node $bin "$@" --db $db >> $out 2>&1; echo "rc=$?" >> $out); }
  run task next --agent $A
  run task list
  run db migrate
  run task next --agent $A
  run task next --agent $A --json
  run task list --json
  run task next --agent $B
  run task next --agent $B --any --json
  run task start --agent $A
  run task next --agent $A
  run task list
  run task fail $T --agent $A
  run task next --agent $A --json
  sed -i '0,/    title: /s/    title: /    title: changed /' $dir/shipgate.plan.yaml   # the plan changes: re-import
  run task next --agent $A
  run task list --json
  run task next --agent $B --any
  cp /tmp/trial/out/plan.bak $dir/shipgate.plan.yaml
  run task list
  run task next --agent nobody
done
o=/tmp/trial/out/plan-$(basename $dir)
cmp -s $o-old.txt $o-new.txt && echo "SAME $dir ($(grep -c '^\$' $o-new.txt) commands)" || { echo "DIFF $dir"; diff $o-old.txt $o-new.txt | head -40; }
