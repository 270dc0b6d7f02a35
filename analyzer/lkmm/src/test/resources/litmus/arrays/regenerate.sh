#!/bin/bash
# Regenerates lkmm-arrays.litmus.gz, the array corpus of ArrayCorpusAgreementTest: 1000 seeded tests
# of the diy7 corpus (../diy/lkmm-diy.litmus.gz) with their locations moved into array cells
# (ArrayCorpus translate), decided once by herd7 (herdtools7 7.58, ../shared/tools/build-herd7.sh;
# HERD_T s of CPU per test, a test herd7 does not finish is left out), packed with herd7's verdicts
# and execution counts. Run from the worktree root after `mvn -q -o -pl analyzer/lkmm test-compile`.
# About 10 minutes (herd7). The suite itself needs none of these tools.
set -eu
root=$(pwd)
work=${WORK:-/tmp/smptrace-arrays}
herd=$(../shared/tools/build-herd7.sh)
top=$(dirname "$(dirname "$(dirname "$(dirname "$herd")")")")
lib=$top/herd/libdir
lkmm=$root/../shared/tools/lkmm
cp=analyzer/lkmm/target/test-classes:analyzer/lkmm/target/classes
here=analyzer/lkmm/src/test/resources/litmus
rm -rf "$work" && mkdir -p "$work"
java -cp "$cp" smptrace.litmus.ArrayCorpus translate "$here/diy/lkmm-diy.litmus.gz" "$work/c" 20261202 1000
(cd "$lkmm" && "$herd" -I . -I "$lib" -conf linux-kernel.cfg -timeout "${HERD_T:-20}" "$work"/c/*.litmus) > "$work/herd.out" 2>&1 || true
java -cp "$cp" smptrace.litmus.ArrayCorpus pack "$work/c" "$work/herd.out" "$here/arrays/lkmm-arrays.litmus.gz"
