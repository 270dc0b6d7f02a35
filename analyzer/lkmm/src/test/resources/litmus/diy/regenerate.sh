#!/bin/bash
# Regenerates lkmm-diy.litmus.gz, the differential corpus of DiyCorpusAgreementTest: critical cycles
# of the LKMM's relations from diy7/diyone7 (herdtools7 7.58, built by ../shared/tools/build-herd7.sh),
# translated to C (DiyCorpus translate, seeded), decided once by herd7 (HERD_T s of CPU per test; a
# test herd7 does not finish is left out), packed with herd7's verdicts and execution counts.
# Run from the worktree root after `mvn -q -o -pl analyzer/lkmm -am test-compile`. Takes about 15 minutes
# (herd7), most of it on the 8-process cycles. The suite itself needs none of these tools.
set -eu
root=$(pwd)
work=${WORK:-/tmp/smptrace-diy}
herd=$(../shared/tools/build-herd7.sh)
top=$(dirname "$(dirname "$(dirname "$(dirname "$herd")")")")
gen=$top/_build/default/gen
lib=$top/herd/libdir
lkmm=$root/../shared/tools/lkmm
bell=$lkmm/linux-kernel.bell
cp=analyzer/lkmm/target/test-classes:analyzer/lkmm/target/classes
rm -rf "$work" && mkdir -p "$work"/lisa/{a,b,c,r}
diy="$gen/diy.exe -set-libdir $lib -bell $bell"
SAFE="RfeONCEONCE FreONCEONCE CoeONCEONCE PodWWONCEONCE PodRRONCEONCE PodRWONCEONCE PodWRONCEONCE"
F=""; for f in MB Rmb Wmb Barrier Sync-rcu Rcu-lock Rcu-unlock Before-atomic After-atomic; do
  for d in WW WR RW RR; do F="$F Fence${f}d${d}ONCEONCE"; done; done
RA="PodWWONCERELEASE PodRWONCERELEASE PodRRACQUIREONCE PodRWACQUIREONCE RfeRELEASEACQUIRE RfeONCEACQUIRE RfeRELEASEONCE"
DEP="DpAddrdRONCEONCE DpAddrdWONCEONCE DpDatadWONCEONCE DpCtrldWONCEONCE DpCtrldRONCEONCE"
# a: every fence and dependency as the relaxation of cycles of up to 6 edges, 4 processes
(cd "$work/lisa/a" && $diy -size 6 -nprocs 4 -safe "$SAFE" -relax "$F $RA $DEP" > /dev/null)
# b: release/acquire chains
(cd "$work/lisa/b" && $diy -size 6 -nprocs 4 -safe "$SAFE $RA PodWWRELEASERELEASE PodRRACQUIREACQUIRE" \
  -relax "PodWWONCERELEASE PodRRACQUIREONCE RfeRELEASEACQUIRE DpAddrdRONCEONCE FenceWmbdWWONCEONCE FenceRmbdRRONCEONCE" > /dev/null)
# c: longer cycles (up to 5 processes) through strong fences and RCU
(cd "$work/lisa/c" && $diy -size 8 -nprocs 8 -ins 2 -safe "RfeONCEONCE FreONCEONCE CoeONCEONCE RfeRELEASEACQUIRE PodRRACQUIREONCE PodWWONCERELEASE PodRWACQUIREONCE PodRWONCERELEASE" \
  -relax "FenceMBdWRONCEONCE FenceSync-rcudWRONCEONCE FenceMBdWWONCEONCE FenceRcu-lockdRRONCEONCE DpAddrdRONCEONCE" > /dev/null)
# r: 4000 seeded random cycles of 2 to 8 processes (DiyCorpus cycles), each made by diyone7
java -cp "$cp" smptrace.litmus.DiyCorpus cycles 4000 20261202 > "$work/cycles.txt"
i=0
while read -r line; do
  i=$((i+1)); n=$(printf "R%04d" $i)
  $gen/diyone.exe -set-libdir "$lib" -bell "$bell" -name $n $line > "$work/lisa/r/$n.litmus" 2>/dev/null \
    || rm -f "$work/lisa/r/$n.litmus"
done < "$work/cycles.txt"
java -cp "$cp" smptrace.litmus.DiyCorpus translate "$work/lisa" "$work/c" 20261202
(cd "$lkmm" && "$herd" -I . -I "$lib" -conf linux-kernel.cfg -timeout "${HERD_T:-20}" "$work"/c/*.litmus) > "$work/herd.out" 2>&1 || true
java -cp "$cp" smptrace.litmus.DiyCorpus pack "$work/c" "$work/herd.out" analyzer/lkmm/src/test/resources/litmus/diy/lkmm-diy.litmus.gz
