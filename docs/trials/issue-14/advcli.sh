#!/bin/bash
cd /tmp/trial/adv
for f in */*.trunc0.5 */*.corrupt0 */*.corrupt1 */*.crlf */*.twice */*.bom lcov/*.concat* sarif/*.huge-message sarif/*.many-locations; do
  /tmp/trial/tools/cmp.sh "adv-${f//\//_}" /tmp/trial/empty -r /tmp/trial/adv/$f
done
