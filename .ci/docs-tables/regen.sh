#!/bin/bash
# Regenerate the committed report and every generated table in the docs.
set -e
cd "$(git rev-parse --show-toplevel)"
./target/release/uchronia run --quiet
python3 .ci/docs-tables/doc_table.py > /dev/null
python3 .ci/docs-tables/params_table.py
python3 .ci/docs-tables/verdicts.py
python3 .ci/docs-tables/claims_list.py
./target/release/uchronia calibrate > /tmp/calib.txt 2>&1
./target/release/uchronia calibrate --ex-ante 2>&1 | grep -v ' ok' > /tmp/calib-ex.txt
rm -rf reports/trotsky-calibration reports/trotsky-calibration-ex-ante
python3 - <<'PY'
p='docs/models/trotsky.md'
s=open(p).read()
new=open('/tmp/calib.txt').read().rstrip("\n")
a=s.index("$ uchronia calibrate\n"); a=s.index("\n",a)+1; b=s.index("```",a)
s=s[:a]+new+"\n"+s[b:]
new=open('/tmp/calib-ex.txt').read().rstrip("\n")
a=s.index("$ uchronia calibrate --ex-ante | grep -v ' ok'\n"); a=s.index("\n",a)+1; b=s.index("```",a)
s=s[:a]+new+"\n"+s[b:]
open(p,'w').write(s)
PY
mkdir -p /tmp/cruxrun && ./target/release/uchronia crux --draws 4000 --trials 4000000 --out /tmp/cruxrun/out > /tmp/cruxrun/stdout.txt 2>&1
python3 - <<'PY'
p='docs/crux.md'
s=open(p).read()
a=s.index("```text\nWhere the posters disagree\n"); b=s.index("```\n",a+8)
lines=open('/tmp/cruxrun/stdout.txt').read().split("\n")
carr="E. H. Carr (a summary in post 4)"
poster_lines=[l for l in lines if l.startswith("  - ") and " and " not in l.split(":")[0].replace(carr,"Carr")]
pair=[l for l in lines if l.startswith("  - RexHiberiae and anonymous poster, post 10:")][0]
s=s[:a]+"```text\nWhere the posters disagree\n"+"\n".join(poster_lines)+"\n  ...\n"+pair+"\n"+s[b:]
open(p,'w').write(s)
PY
# Counts of params and of judgement.
line=$(./target/release/uchronia check models/trotsky.toml 2>&1 | grep '^sourcing:')
total=$(echo "$line" | sed -E 's/sourcing: [0-9]+ of ([0-9]+) params.*/\1/')
any=$(echo "$line" | sed -E 's/.*\); ([0-9]+) \(.*/\1/')
python3 - "$total" "$any" "$line" <<'PY'
import sys,re
total,any_,line=sys.argv[1],sys.argv[2],sys.argv[3]
def sub(p, pat, rep):
    s=open(p).read(); n=re.subn(pat, rep, s); open(p,'w').write(n[0]); print(p, pat[:40], n[1])
sub('README.md', r"are labelled judgements: \d+ of its \d+ parameters", f"are labelled judgements: {any_} of its {total} parameters")
sub('docs/commands.md', r"sourcing: \d+ of \d+ params .*", line)
sub('docs/reports.md', r"43 outcomes, \d+\nparameters", f"43 outcomes, {total}\nparameters")
t='docs/models/trotsky.md'
sub(t, r"findings: \d+ of the model's \d+ numbers", f"findings: {any_} of the model's {total} numbers")
sub(t, r"The \d+ parameters are left out", f"The {total} parameters are left out")
sub(t, r"\*\*Parameters\*\* \(\d+\)", f"**Parameters** ({total})")
import subprocess
nodes=[l for l in subprocess.run(['./target/release/uchronia','check','models/trotsky.toml'],capture_output=True,text=True).stdout.splitlines() if l.startswith('nodes (')][0].split()[1].strip('(,')
sub(t, r"\*\*Nodes\*\* \(\d+\)", f"**Nodes** ({nodes})")
sub(t, r"Most numbers are judgements: \d+ of the \d+ parameters", f"Most numbers are judgements: {any_} of the {total} parameters")
sub(t, r"gives the count \(\d+ of \d+ now,", f"gives the count ({any_} of {total} now,")
alone=line.split()[1]
sub('README.md', r"cite `judgement`, and \d+", f"cite `judgement`, and {alone}")
sub(t, r"\(\d+ rest on it alone;", f"({alone} rest on it alone;")
sub(t, r"and \d+ \(a third\) cite nothing else", f"and {alone} (a third) cite nothing else")
sub('docs/crux.md', r"The crux report of the shipped model \(\d+\n", f"The crux report of the shipped model ({total}\n")
PY
grep -E "mean Brier|all targets" /tmp/calib.txt
