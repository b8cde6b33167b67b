"""Regenerate the list of claims in docs/claims.md from the claims file."""
import tomllib
D='docs/claims.md'
cl=tomllib.load(open('data/claims/trotsky-thread.toml','rb'))['claims']
def says(c):
    s=c['says']
    if isinstance(s,list): s="["+", ".join(f"{x:g}" if x!=2/3 else "0.6667" for x in s)+"]"
    if 'than' in c: s=f"{s} than `{c['than']}`"
    return s
out=["| # | id | post | author | scenario | event | given | says |","|---|---|---|---|---|---|---|---|"]
for i,c in enumerate(cl,1):
    scen=f"`known_through = {c['known_through']}`" if 'known_through' in c else f"`{c['scenario']}`"
    given=f"`{c['given']}`" if 'given' in c else ""
    out.append(f"| {i} | `{c['id']}` | {c.get('post','')} | {c['author']} | {scen} | `{c['event']}` | {given} | {says(c)} |")
doc=open(D).read()
a=doc.index("| # | id | post | author | scenario | event | given | says |")
b=doc.index("\n\n",a)
doc=doc[:a]+"\n".join(out)+doc[b:]
open(D,'w').write(doc)
