"""Edit blocks of models/trotsky.toml by header."""
import re
P='models/trotsky.toml'
def load(): return open(P).read()
def save(s): open(P,'w').write(s)
def block(s, header):
    i = s.index(f"[{header}]\n")
    j = s.find("\n[", i+1)
    j = len(s) if j < 0 else j+1
    return i, j
def set_line(s, header, key, value):
    i, j = block(s, header)
    b = s[i:j]
    pat = re.compile(rf"^{re.escape(key)} = .*$", re.M)
    if pat.search(b):
        b = pat.sub(lambda m: f"{key} = {value}", b, count=1)
    else:
        lines = b.split("\n")
        lines.insert(1, f"{key} = {value}")
        b = "\n".join(lines)
    return s[:i] + b + s[j:]
def get_line(s, header, key):
    i, j = block(s, header)
    m = re.search(rf"^{re.escape(key)} = (.*)$", s[i:j], re.M)
    return m.group(1) if m else None
