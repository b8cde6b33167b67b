"""Refresh the params tables at the end of docs/models/trotsky.md from the model:
each row's distribution and sources; a param missing from the tables goes in
after the param that precedes it in the model file, and a row for a param the
model no longer has is removed."""
import tomllib, re
M='models/trotsky.toml'; D='docs/models/trotsky.md'
model=tomllib.load(open(M,'rb'))['params']
def g(x):
    return f"{x:g}"
def dist(p):
    d=p['dist']
    if d=='fixed': return f"fixed {g(p['value'])}"
    if 'ci90' in p: return f"{d}, 90% in [{g(p['ci90'][0])}, {g(p['ci90'][1])}]"
    if d=='pert': return f"PERT {g(p['min'])} / {g(p['mode'])} / {g(p['max'])}"
    keys=[k for k in p if k not in ('doc','source','dist','label')]
    return f"{d}("+", ".join(f"{k} = {g(p[k]) if isinstance(p[k],(int,float)) else p[k]}" for k in keys)+")"
def row(n): return f"| `{n}` | {dist(model[n])} | {', '.join(model[n]['source'])} |"
doc=open(D).read()
head,sep,tail=doc.partition("## Parameters")
lines=tail.split("\n")
seen=set()
for i,l in enumerate(lines):
    m=re.match(r"\| `([a-z_0-9]+)` \|",l)
    if m and m.group(1) in model:
        seen.add(m.group(1)); old=l; lines[i]=row(m.group(1))
names=list(model)
for k,n in enumerate(names):
    if n in seen: continue
    prev=names[k-1]
    idx=next(i for i,l in enumerate(lines) if l.startswith(f"| `{prev}` |"))
    lines.insert(idx+1,row(n)); seen.add(n); print("inserted",n,"after",prev)
def stale(l):
    m=re.match(r"\| `([a-z_0-9]+)` \|",l)
    return bool(m) and m.group(1) not in model
print("rows removed for params not in the model:",[l for l in lines if stale(l)])
lines=[l for l in lines if not stale(l)]
open(D,'w').write(head+sep+"\n".join(lines))
