"""A generic vectorised NumPy forward sampler of uchronia models: it reads a
model file (docs/model-format.md) with tomllib and samples it with NumPy,
D parameter draws of N/D trials each, every node evaluated for a whole chunk
of trials at once, in every scenario (`do`, `set`, `facts_through`) and, as
`uchronia run` does, every matched baseline (`S~baseline`). Prints each
boolean outcome's p_mean (the mean over draws of the per-draw share p_d) and
mc_se (sd(p_d) / sqrt(D)) per scenario, then the rate.

It is an independent baseline, not a port of the engine: it draws params with
NumPy's own samplers and each scenario with its own random numbers, so it
agrees with `uchronia run` within Monte Carlo error, not bit for bit
(`--check outcomes.csv` says by how much). It covers what the shipped model
and bench/models/*.toml use; anything else (`[[correlations]]`, a gamma
`ci90`, a `ci90` that changes from trial to trial) stops it with an error,
never a silent approximation.

usage: python3 model.py MODEL.toml [--trials N] [--draws D] [--seed S]
                        [--no-baselines] [--check outcomes.csv]
"""

import argparse
import csv
import math
import re
import sys
import time
import tomllib

import numpy as np

CHUNK = 1 << 16
Z95 = 1.6448536269514722  # the standard normal's 95% quantile
EPS = 1e-9  # probabilities and weights this far outside their range are clamped


class Unsupported(Exception):
    """A model feature this sampler does not cover: it stops, loudly."""


# --- the beta ci90: the regularized incomplete beta and a 2-D Newton solve ----


def _betacf(a, b, x):
    """Lentz's continued fraction for the incomplete beta (Numerical Recipes)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100000):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            return h
    raise ArithmeticError("incomplete beta did not converge")


def beta_cdf(x, a, b):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    ln_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(ln_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(ln_front) * _betacf(b, a, 1.0 - x) / b


def beta_from_ci90(lo, hi):
    """The beta with 5% quantile lo and 95% quantile hi (Newton on ln a, ln b)."""
    if not 0.0 < lo < hi < 1.0:
        raise ValueError(f"beta ci90 needs 0 < lo < hi < 1, got [{lo}, {hi}]")
    mean, sd = (lo + hi) / 2, (hi - lo) / (2 * Z95)
    k = max(mean * (1 - mean) / sd**2 - 1, 0.5)
    x = np.log([mean * k, (1 - mean) * k])

    def f(v):
        a, b = math.exp(v[0]), math.exp(v[1])
        return np.array([beta_cdf(lo, a, b) - 0.05, beta_cdf(hi, a, b) - 0.95])

    for _ in range(200):
        r = f(x)
        if np.max(np.abs(r)) < 1e-12:
            return math.exp(x[0]), math.exp(x[1])
        h = 1e-7
        jac = np.column_stack([(f(x + h * e) - r) / h for e in np.eye(2)])
        step = np.linalg.solve(jac, -r)
        step *= min(1.0, 1.0 / np.max(np.abs(step)))  # damped: at most e-fold a step
        x = x + step
    raise ArithmeticError(f"beta ci90 [{lo}, {hi}] did not converge")


# --- expressions: tokens, a recursive-descent parser, closures over arrays ----

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)"
                   r"|([a-z][a-z0-9_]*)|'([a-z][a-z0-9_]*)'|(==|!=|<=|>=|[-+*/^(),<>]))")
FUNCS = {"min", "max", "clamp", "logistic", "logit", "exp", "ln", "sqrt", "abs",
         "floor", "round", "if"}


def tokenize(text):
    text, pos, out = str(text), 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN.match(text, pos)
        if not m:
            raise Unsupported(f"cannot read expression {text!r} at {pos}")
        num, name, state, op = m.groups()
        out.append(("num", float(num)) if num else ("name", name) if name
                   else ("state", state) if state else ("op", op))
        pos = m.end()
    return out + [("end", None)]


class Parser:
    """Builds an AST of tuples: ("num", x), ("bool", b), ("state", s),
    ("name", n), ("call", f, args), ("un", op, a), ("bin", op, a, b)."""

    def __init__(self, text):
        self.toks, self.i, self.text = tokenize(text), 0, text

    def peek(self):
        return self.toks[self.i]

    def take(self, kind=None, value=None):
        tok = self.toks[self.i]
        if (kind and tok[0] != kind) or (value is not None and tok[1] != value):
            raise Unsupported(f"unexpected {tok[1]!r} in {self.text!r}")
        self.i += 1
        return tok

    def at(self, kind, *values):
        tok = self.peek()
        return tok[0] == kind and tok[1] in values

    def parse(self):
        tree = self.orr()
        self.take("end")
        return tree

    def orr(self):
        tree = self.andd()
        while self.at("name", "or"):
            self.take()
            tree = ("bin", "or", tree, self.andd())
        return tree

    def andd(self):
        tree = self.nott()
        while self.at("name", "and"):
            self.take()
            tree = ("bin", "and", tree, self.nott())
        return tree

    def nott(self):
        if self.at("name", "not"):
            self.take()
            return ("un", "not", self.nott())
        return self.cmp()

    def cmp(self):
        tree = self.add()
        if self.at("op", "==", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            tree = ("bin", op, tree, self.add())
        return tree

    def add(self):
        tree = self.mul()
        while self.at("op", "+", "-"):
            op = self.take()[1]
            tree = ("bin", op, tree, self.mul())
        return tree

    def mul(self):
        tree = self.unary()
        while self.at("op", "*", "/"):
            op = self.take()[1]
            tree = ("bin", op, tree, self.unary())
        return tree

    def unary(self):
        if self.at("op", "-"):
            self.take()
            return ("un", "-", self.unary())
        return self.power()

    def power(self):
        tree = self.atom()
        if self.at("op", "^"):
            self.take()
            tree = ("bin", "^", tree, self.unary())  # right-associative; 2^-1 allowed
        return tree

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", value)
        if kind == "state":
            return ("state", value)
        if kind == "op" and value == "(":
            tree = self.orr()
            self.take("op", ")")
            return tree
        if kind == "name":
            if value in ("true", "false"):
                return ("bool", value == "true")
            if self.at("op", "("):
                if value not in FUNCS:
                    raise Unsupported(f"unknown function {value!r} in {self.text!r}")
                self.take()
                args = [self.orr()]
                while self.at("op", ","):
                    self.take()
                    args.append(self.orr())
                self.take("op", ")")
                return ("call", value, args)
            return ("name", value)
        raise Unsupported(f"unexpected {value!r} in {self.text!r}")


def names_in(tree):
    if tree[0] == "name":
        return {tree[1]}
    if tree[0] == "call":
        return set().union(*(names_in(a) for a in tree[2]))
    if tree[0] in ("un", "bin"):
        return set().union(*(names_in(a) for a in tree[2:]))
    return set()


def _round(x):
    return np.copysign(np.floor(np.abs(x) + 0.5), x)  # halves away from zero


def _clamp(x, lo, hi):
    if np.any(np.asarray(lo) > np.asarray(hi)):
        raise ValueError("clamp with lo > hi")
    return np.minimum(np.maximum(x, lo), hi)


UNARY = {"logistic": lambda x: 1.0 / (1.0 + np.exp(-x)), "logit": lambda p: np.log(p / (1.0 - p)),
         "exp": np.exp, "ln": np.log, "sqrt": np.sqrt, "abs": np.abs, "floor": np.floor,
         "round": _round}
BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide,
          "^": np.power, "==": np.equal, "!=": np.not_equal, "<": np.less,
          "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


def compile_expr(tree, states):
    """A closure env -> value; numbers are floats, booleans bools, states
    model-wide integer ids (so `==` between two categorical nodes compares
    state names). A scalar condition picks its branch without evaluating the
    other, as the engine does; an array one evaluates both (np.where)."""
    kind = tree[0]
    if kind in ("num", "bool"):
        value = tree[1]
        return lambda env: value
    if kind == "state":
        value = states[tree[1]]
        return lambda env: value
    if kind == "name":
        name = tree[1]
        return lambda env: env[name]
    if kind == "un":
        a = compile_expr(tree[2], states)
        if tree[1] == "not":
            return lambda env: np.logical_not(a(env))
        return lambda env: np.negative(a(env))
    if kind == "bin":
        op, a, b = tree[1], compile_expr(tree[2], states), compile_expr(tree[3], states)
        if op in ("and", "or"):
            both = np.logical_and if op == "and" else np.logical_or
            decided = op == "or"

            def logic(env):
                left = a(env)
                if np.ndim(left) == 0 and bool(left) == decided:
                    return decided
                return both(left, b(env))
            return logic
        f = BINARY[op]
        return lambda env: f(a(env), b(env))
    name, args = tree[1], [compile_expr(t, states) for t in tree[2]]
    if name == "if":
        cond, yes, no = args

        def choose(env):
            c = cond(env)
            if np.ndim(c) == 0:
                return yes(env) if c else no(env)
            return np.where(c, yes(env), no(env))
        return choose
    if name in ("min", "max"):
        f = np.minimum if name == "min" else np.maximum

        def fold(env):
            acc = args[0](env)
            for g in args[1:]:
                acc = f(acc, g(env))
            return acc
        return fold
    if name == "clamp":
        x, lo, hi = args
        return lambda env: _clamp(x(env), lo(env), hi(env))
    f, (x,) = UNARY[name], args
    return lambda env: f(x(env))


# --- the model: params, nodes, outcomes, scenarios ----------------------------


def ci90_to_keys(dist, ci90, where):
    lo, hi = (float(v) for v in ci90)
    if dist == "beta":
        a, b = beta_from_ci90(lo, hi)
        return {"a": a, "b": b}
    if dist == "normal":
        return {"mean": (lo + hi) / 2, "sd": (hi - lo) / (2 * Z95)}
    if dist == "lognormal":
        return {"mu": (math.log(lo) + math.log(hi)) / 2,
                "sigma": (math.log(hi) - math.log(lo)) / (2 * Z95)}
    raise Unsupported(f"{where}: ci90 on `{dist}` is not covered by this sampler")


def param_sampler(spec, where):
    """A function rng -> one draw of a param's distribution."""
    if not isinstance(spec, dict):
        value = float(spec)
        return lambda rng: value
    dist = spec["dist"]
    keys = {k: v for k, v in spec.items() if k not in ("dist", "doc", "source", "label")}
    if "ci90" in keys:
        keys = ci90_to_keys(dist, keys["ci90"], where)
    k = {n: float(v) for n, v in keys.items()}
    samplers = {
        "fixed": lambda rng: k["value"],
        "uniform": lambda rng: rng.uniform(k["low"], k["high"]),
        "beta": lambda rng: rng.beta(k["a"], k["b"]),
        "pert": lambda rng: float(draw_pert(rng, k["min"], k["mode"], k["max"], None)),
        "triangular": lambda rng: float(draw_triangular(rng, k["min"], k["mode"], k["max"], None)),
        "normal": lambda rng: rng.normal(k["mean"], k["sd"]),
        "lognormal": lambda rng: rng.lognormal(k["mu"], k["sigma"]),
        "gamma": lambda rng: rng.gamma(k["shape"], k["scale"]),
    }
    if dist not in samplers:
        raise Unsupported(f"{where}: distribution `{dist}` is not covered")
    return samplers[dist]


def draw_pert(rng, lo, mode, hi, n):
    width = np.subtract(hi, lo)
    safe = np.where(width > 0, width, 1.0)
    a = 1 + 4 * (np.subtract(mode, lo)) / safe
    b = 1 + 4 * (np.subtract(hi, mode)) / safe
    return np.where(width > 0, lo + width * rng.beta(a, b, n), lo)


def draw_triangular(rng, lo, mode, hi, n):
    u = rng.random(n)
    width = np.subtract(hi, lo)
    safe = np.where(width > 0, width, 1.0)
    split = (np.subtract(mode, lo)) / safe
    left = lo + np.sqrt(u * safe * np.subtract(mode, lo))
    right = hi - np.sqrt((1 - u) * safe * np.subtract(hi, mode))
    return np.where(width > 0, np.where(u < split, left, right), lo)


NUMERIC = {  # dist -> (argument keys, sampler(rng, *args, n))
    "fixed": (("value",), lambda rng, v, n: np.broadcast_to(np.asarray(v, float), (n,))),
    "uniform": (("low", "high"), lambda rng, lo, hi, n: rng.uniform(lo, hi, n)),
    "beta": (("a", "b"), lambda rng, a, b, n: rng.beta(a, b, n)),
    "pert": (("min", "mode", "max"), draw_pert),
    "triangular": (("min", "mode", "max"), draw_triangular),
    "normal": (("mean", "sd"), lambda rng, m, s, n: rng.normal(m, s, n)),
    "lognormal": (("mu", "sigma"), lambda rng, m, s, n: rng.lognormal(m, s, n)),
    "gamma": (("shape", "scale"), lambda rng, k, s, n: rng.gamma(k, s, n)),
}
NODE_KEYS = {"doc", "source", "label", "year", "fact"}


def probability(p, what):
    """Clamps a probability within EPS of [0, 1]; further out, or NaN, is an error."""
    lo, hi = (np.min(p), np.max(p)) if np.ndim(p) else (p, p)
    if not (lo >= -EPS and hi <= 1 + EPS):
        raise ValueError(f"{what}: probability outside [0, 1] ({lo}, {hi})")
    return np.clip(p, 0.0, 1.0)


class Model:
    def __init__(self, path):
        with open(path, "rb") as f:
            doc = tomllib.load(f)
        for key in doc:
            if key not in ("model", "params", "nodes", "outcomes", "scenarios", "report"):
                raise Unsupported(f"top-level `{key}` is not covered by this sampler")
        self.states = {}  # state name -> model-wide id
        # Every declared state first: a node may name a state of a node
        # that comes later in the file.
        for spec in doc.get("nodes", {}).values():
            for state in spec.get("states", []):
                self.state_id(state)
        self.params = {n: param_sampler(s, f"param {n}") for n, s in doc.get("params", {}).items()}
        self.param_specs = doc.get("params", {})
        self.nodes = {n: self.compile_node(n, s) for n, s in doc.get("nodes", {}).items()}
        self.node_specs = doc.get("nodes", {})
        self.order = topological(self.nodes)
        self.outcomes = {}
        for name, spec in doc.get("outcomes", {}).items():
            if "when" in spec:
                tree = Parser(spec["when"]).parse()
                self.outcomes[name] = ("bool", compile_expr(tree, self.states), None, names_in(tree))
            else:
                tree = Parser(spec["value"]).parse()
                given = Parser(spec["given"]).parse() if "given" in spec else ("bool", True)
                self.outcomes[name] = ("num", compile_expr(tree, self.states),
                                       compile_expr(given, self.states),
                                       names_in(tree) | names_in(given))
        self.outcome_order = topological(self.outcomes)
        self.scenarios = [self.fixings(n, s) for n, s in doc["scenarios"].items()]

    def state_id(self, name):
        return self.states.setdefault(name, len(self.states))

    def compile_node(self, name, spec):
        """("bool", p) | ("cat", ids, rows) | ("num", dist, args, lower, upper, round)
        | ("value", f), each with the names it reads."""
        reads = set()

        def expr(value):
            tree = Parser(value).parse()
            reads.update(names_in(tree))
            return compile_expr(tree, self.states)

        if "states" in spec:
            ids = np.array([self.state_id(s) for s in spec["states"]])
            rows = spec["table"] if "table" in spec else [spec]
            compiled = []
            for row in rows:
                when = expr(row["when"]) if "when" in row else None
                if "weights" in row:
                    probs = ("weights", [expr(row["weights"][s]) for s in spec["states"]])
                else:
                    given = row["p"]
                    missing = [s for s in spec["states"] if s not in given]
                    probs = ("p", [expr(given[s]) if s in given else None for s in spec["states"]])
                    if len(missing) > 1:
                        raise Unsupported(f"node {name}: more than one state missing from p")
                compiled.append((when, probs))
            kind = ("cat", ids, compiled)
        elif "p" in spec:
            kind = ("bool", expr(spec["p"]))
        elif "dist" in spec:
            dist = spec["dist"]
            if dist not in NUMERIC:
                raise Unsupported(f"node {name}: distribution `{dist}` is not covered")
            keys = dict(spec)
            if "ci90" in keys:
                if not all(isinstance(v, (int, float)) for v in keys["ci90"]):
                    raise Unsupported(f"node {name}: a ci90 that is an expression is not covered")
                keys.update(ci90_to_keys(dist, keys.pop("ci90"), f"node {name}"))
            args = [expr(keys[k]) for k in NUMERIC[dist][0]]
            lower = expr(spec["lower"]) if "lower" in spec else None
            upper = expr(spec["upper"]) if "upper" in spec else None
            kind = ("num", dist, args, lower, upper, bool(spec.get("round", False)))
        elif "value" in spec:
            kind = ("value", expr(spec["value"]))
        else:
            raise Unsupported(f"node {name}: no p, states, dist or value")
        return kind + (reads,)

    def do_value(self, node, value):
        kind = self.nodes[node][0]
        if kind == "cat":
            return self.state_id(value)
        return bool(value) if isinstance(value, bool) else float(value)

    def fixings(self, name, spec):
        """(name, do: node -> value, set: param -> sampler, set specs) of a scenario."""
        do = {}
        if "facts_through" in spec:
            year = spec["facts_through"]
            for node, ns in self.node_specs.items():
                if "fact" in ns and "year" in ns:
                    last = ns["year"][-1] if isinstance(ns["year"], list) else ns["year"]
                    if last <= year:
                        do[node] = ns["fact"]
        do.update(spec.get("do", {}))
        sets = spec.get("set", {})
        return (name, do, sets)

    def with_baselines(self):
        """The scenarios, then each scenario's matched baseline (docs/sensitivity.md):
        its fixings with every divergence node set back to its fact, or to the
        reference's value, or left free; one that equals a scenario is not rerun."""
        ref_do = self.scenarios[0][1]
        extra, seen = [], [(s[1], s[2]) for s in self.scenarios]
        for name, do, sets in self.scenarios:
            base = dict(do)
            for node, value in do.items():
                fact = self.node_specs[node].get("fact")
                anchor = fact if fact is not None else ref_do.get(node)
                if anchor is None:
                    del base[node]
                elif anchor != value:
                    base[node] = anchor
            if base != do and (base, sets) not in seen:
                seen.append((base, sets))
                extra.append((f"{name}~baseline", base, sets))
        return extra


def topological(items):
    """Names in an order where each comes after what it reads (file order otherwise)."""
    order, done = [], set()

    def visit(name, path):
        if name in done:
            return
        if name in path:
            raise Unsupported(f"cycle through {name}")
        for dep in sorted(items[name][-1]):
            if dep in items:
                visit(dep, path | {name})
        done.add(name)
        order.append(name)

    for name in items:
        visit(name, frozenset())
    return order


# --- sampling -----------------------------------------------------------------


def sample_node(model, name, env, rng, n):
    kind = model.nodes[name]
    if kind[0] == "value":
        return kind[1](env)
    if kind[0] == "bool":
        return rng.random(n) < probability(kind[1](env), f"node {name}")
    if kind[0] == "num":
        _, dist, args, lower, upper, rounding, _ = kind
        x = NUMERIC[dist][1](rng, *(f(env) for f in args), n)
        if lower is not None:
            x = np.maximum(x, lower(env))
        if upper is not None:
            x = np.minimum(x, upper(env))
        return _round(x) if rounding else x
    _, ids, rows, _ = kind
    chosen = [None] * len(ids)  # per state, its probability over the chunk
    taken = False  # a mask of trials already served by an earlier row
    for when, probs in rows:
        cond = True if when is None else when(env)
        use = np.logical_and(cond, np.logical_not(taken))
        if np.ndim(use) == 0 and not use:
            continue
        ps = row_probabilities(name, probs, env)
        chosen = [p if c is None else np.where(use, p, c) for p, c in zip(ps, chosen)]
        taken = np.logical_or(taken, use)
        if np.ndim(taken) == 0 and taken:
            break
    u = rng.random(n)
    index = np.zeros(n, dtype=np.intp)
    cum = 0.0
    for p in chosen[:-1]:
        cum = cum + p
        index += u >= cum
    return ids[index]


def row_probabilities(name, probs, env):
    kind, exprs = probs
    values = [None if f is None else f(env) for f in exprs]
    if kind == "weights":
        values = [np.where(np.asarray(w) < 0, np.maximum(w, 0) if np.all(np.asarray(w) >= -EPS)
                           else np.nan, w) for w in values]
        total = sum(values)
        if np.any(np.asarray(total) <= 0) or np.any(np.isnan(total)):
            raise ValueError(f"node {name}: negative weight or zero weight sum")
        return [w / total for w in values]
    values = [None if v is None else probability(v, f"node {name}") for v in values]
    missing = [i for i, v in enumerate(values) if v is None]
    if missing:
        i = missing[0]
        rest = 1.0 - sum(v for v in values if v is not None)
        values[i] = np.maximum(probability(rest, f"node {name} (remainder)"), 0.0)
    return values


def run(model, scenarios, draws, per_draw, rng):
    """Per scenario: per-draw hits of each boolean outcome, and numeric sums."""
    bools = [o for o in model.outcome_order if model.outcomes[o][0] == "bool"]
    nums = [o for o in model.outcome_order if model.outcomes[o][0] == "num"]
    hits = np.zeros((len(scenarios), draws, len(bools)))
    sums = np.zeros((len(scenarios), len(nums), 2))  # sum of values, count
    for d in range(draws):
        base = {p: f(rng) for p, f in model.params.items()}
        params = []
        for _, _, sets in scenarios:
            env = dict(base)
            for p, spec in sets.items():
                env[p] = param_sampler(spec, f"set {p}")(rng)
            params.append(env)
        left = per_draw
        while left > 0:
            n = min(left, CHUNK)
            left -= n
            for s, (_, do, _) in enumerate(scenarios):
                env = dict(params[s])
                for node in model.order:
                    if node in do:
                        env[node] = model.do_value(node, do[node])
                    else:
                        env[node] = sample_node(model, node, env, rng, n)
                for o in model.outcome_order:
                    kind, value, given, _ = model.outcomes[o]
                    env[o] = value(env)
                    if kind == "bool":
                        h = env[o]
                        hits[s, d, bools.index(o)] += np.count_nonzero(h) if np.ndim(h) else n * bool(h)
                    else:
                        g = np.broadcast_to(given(env), (n,))
                        v = np.broadcast_to(env[o], (n,))
                        sums[s, nums.index(o)] += (v[g].sum(), np.count_nonzero(g))
    return bools, hits / per_draw, nums, sums


def check(path, table):
    """How far this run's p_mean is from outcomes.csv's, in standard errors of
    the difference (both runs' mc_se: independent draws on both sides)."""
    zs, worst = [], (0.0, 0.0, None)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["scenario"], row["outcome"])
            if key not in table:
                continue
            mean, se = table[key]
            diff = abs(mean - float(row["p_mean"]))
            se_diff = math.hypot(se, float(row["mc_se"]))
            z = diff / se_diff if se_diff > 0 else (0.0 if diff == 0 else math.inf)
            zs.append(z)
            worst = max(worst, (z, diff, key), key=lambda t: t[0])
    if not zs:
        print(f"check against {path}: no common scenario/outcome")
        return
    zs = np.array(zs)
    print(f"check against {path}: {len(zs)} scenario/outcome pairs; max |diff| / se "
          f"{worst[0]:.2f} (|diff| {worst[1]:.5f}, {worst[2][0]} / {worst[2][1]}); "
          f"mean (diff / se)^2 {np.mean(zs**2):.3f} (1 if they agree); "
          f"{np.count_nonzero(zs > 3)} beyond 3 se ({len(zs) * 0.0027:.1f} expected)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--trials", type=float, default=1e6)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-baselines", action="store_true",
                        help="skip the matched baselines (uchronia run always runs them)")
    parser.add_argument("--check", metavar="OUTCOMES_CSV")
    args = parser.parse_args()
    start = time.perf_counter()
    try:
        model = Model(args.model)
        scenarios = list(model.scenarios) + ([] if args.no_baselines else model.with_baselines())
        per_draw = int(args.trials) // args.draws
        bools, p, nums, sums = run(model, scenarios, args.draws, per_draw,
                                   np.random.default_rng(args.seed))
    except (Unsupported, ValueError, KeyError, ArithmeticError) as e:
        print(f"model.py: {args.model}: {e}", file=sys.stderr)
        sys.exit(2)
    seconds = time.perf_counter() - start

    table = {}
    print("scenario,outcome,p_mean,mc_se")
    for s, (name, _, _) in enumerate(scenarios):
        for o, outcome in enumerate(bools):
            pd = p[s, :, o]
            se = pd.std(ddof=1) / math.sqrt(len(pd)) if len(pd) > 1 else 0.0
            table[(name, outcome)] = (pd.mean(), se)
            print(f"{name},{outcome},{pd.mean():.6f},{se:.6f}")
        for o, outcome in enumerate(nums):
            total, count = sums[s, o]
            print(f"{name},{outcome},mean {total / count if count else float('nan'):.6g},"
                  f"share {count / (args.draws * per_draw):.6f}")
    if args.check:
        check(args.check, table)
    trials = args.draws * per_draw
    print(f"numpy {model_name(args.model)}: {trials} trials x {len(scenarios)} scenarios "
          f"in {seconds:.3f} s: {trials / seconds:.4g} trials/s")


def model_name(path):
    return path.rsplit("/", 1)[-1].removesuffix(".toml")


if __name__ == "__main__":
    main()
