"""Regenerate the results table in docs/models/trotsky.md ("What the model says")."""
import csv, re
R='reports/trotsky/'
D='docs/models/trotsky.md'
scen=["history","brest_1918","lenin_endorses_1922","testament_1923","georgian_notes_1923","after_lenin_1924","trotsky_in_power","bukharin_nep"]
rows=["trotsky_leads_1918","stalin_removed","trotsky_leads_1928","stalin_leads_1928","trotsky_leads_1935","permanent_revolution","rapid_industrialisation","famine_1932_33","nazis_in_power","western_rapprochement","nazi_soviet_pact","poland_partitioned","intervention_germany","war_with_poland","great_war","war_against_ussr_first","anti_soviet_coalition","west_fights_ussr","ussr_destroyed","red_alert","pearl_harbor","us_soviet_alliance","hot_war_us_ussr","nuclear_strike_on_ussr","soviet_bomb_by_1950"]
ci={"stalin_removed","trotsky_leads_1928","permanent_revolution","nazis_in_power","intervention_germany","great_war","west_fights_ussr","ussr_destroyed","red_alert"}
forced={("trotsky_in_power","trotsky_leads_1928"):"1 (forced)",("bukharin_nep","trotsky_leads_1928"):"0 (forced)",("trotsky_in_power","stalin_leads_1928"):"0",("bukharin_nep","stalin_leads_1928"):"0"}
o={(r['scenario'],r['outcome']):r for r in csv.DictReader(open(R+'outcomes.csv'))}
def f(x):
    x=float(x)
    if x==0: return "0"
    if x>=0.9995: return "1"
    return f"{x:.3f}" if x<0.0995 else f"{x:.2f}"
out=["| outcome | "+" | ".join(scen)+" |","|---"*(len(scen)+1)+"|"]
for name in rows:
    cells=[]
    for s in scen:
        if (s,name) in forced: cells.append(forced[(s,name)]); continue
        r=o[(s,name)]
        c=f(r['p_mean'])
        if name in ci and s in ("history","trotsky_in_power"):
            c+=f" ({f(r['p_q05'])}-{f(r['p_q95'])})"
        cells.append(c)
    out.append(f"| {name} | "+" | ".join(cells)+" |")
n={(r['scenario'],r['outcome']):r for r in csv.DictReader(open(R+'numeric.csv'))}
for name,fmt in (("gdp_1940_index","{:.0f}"),("great_war_year","{:.0f}")):
    cells=[]
    for s in scen:
        if s in ("history","trotsky_in_power","bukharin_nep"):
            r=n[(s,name)]; cells.append(f"{fmt.format(float(r['mean']))} ({fmt.format(float(r['q05']))}-{fmt.format(float(r['q95']))})")
        else: cells.append("")
    out.append(f"| {name} (mean, 90%) | "+" | ".join(cells)+" |")
doc=open(D).read()
start=doc.index("| outcome | history | brest_1918 |")
end=doc.index("\n\n",start)
doc=doc[:start]+"\n".join(out)+doc[end:]
open(D,'w').write(doc)
print("\n".join(out))
