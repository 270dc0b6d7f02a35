#!/usr/bin/env python3
"""Seeds traces/: one bundle for every "must report" cell of the verdict table (smptrace patches).

For each (patch, variant, kind) that the table says must be reported, records the variant under the
controlled scheduler (random and PCT, seeds 1..SEEDS, lengths 1..3), analyses every trace, keeps the
smallest trace (fewest events) that reports the kind, and archives it as PATCH-VARIANT-KIND with
`smptrace archive`. Run from the repository root: traces/seed-archive.py [--seeds N]. The cells come
from `smptrace patches --format json` ("expected": "must: ..."), so the table and the archive agree.
"""
import json, os, subprocess, sys, tempfile, shutil

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
smptrace = os.path.join(root, "smptrace")
seeds = int(sys.argv[sys.argv.index("--seeds") + 1]) if "--seeds" in sys.argv else 8

def run(*args, check=True):
    p = subprocess.run([smptrace, *args], capture_output=True, text=True)
    if check and p.returncode not in (0, 1):
        sys.exit("smptrace %s failed: %s" % (" ".join(args), p.stderr.strip()))
    return p

# the cells: (patch, variant, debug, [kinds]) from the verdict table's expectations
rows = []
for line in run("patches", "--format", "json", "--seeds", "1").stdout.splitlines():
    o = json.loads(line)
    must = [k for k in o["expected"].split(" / ")[0].split(",") if k and k != "-"]
    label = o["variant"]
    variant = label.split(" ")[0]
    debug = "on" if "(debug)" in label else "off" if "(non-debug)" in label else None
    if must:
        rows.append((o["patch"], variant, debug, must))

work = tempfile.mkdtemp(prefix="smptrace-seed-")
try:
    for patch, variant, debug, kinds in rows:
        best = {}
        for schedule in ("random", "pct"):
            for length in ("1", "2", "3"):
                out = os.path.join(work, "%s-%s-%s-%s" % (patch, variant, schedule, length))
                args = ["record", "--patch", patch, "--variant", variant, "--schedule", schedule, "--length", length,
                        "--seed", "1", "--seeds", str(seeds), "--compact", "--out", out]
                if debug:
                    args += ["--debug", debug]
                if run(*args, check=False).returncode != 0:
                    continue
                for t in sorted(os.listdir(out)):
                    tdir = os.path.join(out, t)
                    found = {}
                    a = run("analyze", "--format", "json", "--stats", tdir)
                    for l in a.stdout.splitlines():
                        f = json.loads(l)
                        if not f["tolerated"]:
                            found.setdefault(f["kind"], set()).add(f["mode"])
                    n = int(a.stderr.split("analyzed ")[1].split(" ")[0])
                    for k in kinds:
                        if k in found:
                            # an observed finding beats a predicted one; then the smallest trace
                            score = (0 if "observed" in found[k] else 1, n)
                            if k not in best or score < best[k][0]:
                                best[k] = (score, tdir)
        for k in kinds:
            name = "%s-%s-%s" % (patch, variant, k)
            if k not in best:
                print("NOT FOUND: %s" % name)
                continue
            p = run("archive", best[k][1], "--name", name, "--force")
            print(p.stdout.splitlines()[0] if p.returncode == 0 else "FAILED %s: %s" % (name, p.stderr.strip()))
finally:
    shutil.rmtree(work, ignore_errors=True)
