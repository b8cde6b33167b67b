// explore.html's script (crates/report/src/explore/): keeps the parameter
// draws inside the reader's ranges and recomputes every number from the
// run's per-draw values. Each statistic is computed as the Rust analyses
// compute it (sums in draw order, type-7 quantiles, Rust's rounding of
// ties), so the page shows what the run's tables would say of those draws.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("explore-data").textContent);
  const N = DATA.draws;
  const STEPS = 1000;

  // ---- data: packed arrays (crates/report/src/explore/mod.rs, `packed`) -
  // Each array is its values' little-endian bytes, regrouped into byte
  // planes except for f64z, raw DEFLATE, base64: inflated here, then put
  // back in order.
  const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
    4, 4, 4, 4, 5, 5, 5, 5, 0];
  const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8,
    9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  // A canonical Huffman code from its code lengths: how many codes of each
  // length, and the symbols in code order.
  function huffman(lengths) {
    const counts = new Uint16Array(16);
    for (const l of lengths) counts[l]++;
    counts[0] = 0;
    const next = new Uint16Array(16);
    for (let l = 1; l < 16; l++) next[l] = next[l - 1] + counts[l - 1];
    const symbols = new Uint16Array(lengths.length);
    lengths.forEach(function (l, s) { if (l) symbols[next[l]++] = s; });
    return { counts: counts, symbols: symbols };
  }
  const FIXED_LITERALS = huffman(Array.from({ length: 288 }, function (_, s) {
    return s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
  }));
  const FIXED_DISTANCES = huffman(new Array(30).fill(5));
  // Raw DEFLATE (RFC 1951) of `src` into `size` bytes.
  function inflate(src, size) {
    const out = new Uint8Array(size);
    let at = 0;
    let pos = 0;
    let buffer = 0;
    let count = 0;
    function bits(n) {
      while (count < n) {
        if (pos >= src.length) throw new Error("explore data: truncated");
        buffer |= src[pos++] << count;
        count += 8;
      }
      const v = buffer & ((1 << n) - 1);
      buffer >>>= n;
      count -= n;
      return v;
    }
    function symbol(h) {
      let code = 0;
      let first = 0;
      let index = 0;
      for (let l = 1; l < 16; l++) {
        code |= bits(1);
        const n = h.counts[l];
        if (code - first < n) return h.symbols[index + code - first];
        index += n;
        first = (first + n) << 1;
        code <<= 1;
      }
      throw new Error("explore data: bad code");
    }
    let last = 0;
    while (!last) {
      last = bits(1);
      const type = bits(2);
      if (type === 0) {
        // Stored: back to the byte boundary (whole bytes read ahead are
        // given back), then LEN, NLEN and the bytes.
        pos -= count >> 3;
        buffer = 0;
        count = 0;
        const length = src[pos] | (src[pos + 1] << 8);
        pos += 4;
        out.set(src.subarray(pos, pos + length), at);
        pos += length;
        at += length;
        continue;
      }
      let literals = FIXED_LITERALS;
      let distances = FIXED_DISTANCES;
      if (type === 2) {
        const nLiterals = bits(5) + 257;
        const nDistances = bits(5) + 1;
        const nCodes = bits(4) + 4;
        const codeLengths = new Uint8Array(19);
        for (let i = 0; i < nCodes; i++) codeLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        const code = huffman(codeLengths);
        const lengths = new Uint8Array(nLiterals + nDistances);
        for (let i = 0; i < lengths.length;) {
          const s = symbol(code);
          if (s < 16) {
            lengths[i++] = s;
          } else {
            const value = s === 16 ? lengths[i - 1] : 0;
            const repeat = s === 16 ? 3 + bits(2) : s === 17 ? 3 + bits(3) : 11 + bits(7);
            lengths.fill(value, i, i + repeat);
            i += repeat;
          }
        }
        literals = huffman(lengths.subarray(0, nLiterals));
        distances = huffman(lengths.subarray(nLiterals));
      } else if (type !== 1) {
        throw new Error("explore data: bad block");
      }
      for (;;) {
        const s = symbol(literals);
        if (s < 256) {
          out[at++] = s;
        } else if (s === 256) {
          break;
        } else {
          const length = LENGTH_BASE[s - 257] + bits(LENGTH_EXTRA[s - 257]);
          const d = symbol(distances);
          const back = DISTANCE_BASE[d] + bits(DISTANCE_EXTRA[d]);
          for (let k = 0; k < length; k++, at++) out[at] = out[at - back];
        }
      }
    }
    if (at !== size) throw new Error("explore data: " + at + " bytes, not " + size);
    return out;
  }
  // The values of a packed array, `width` bytes each in planes (1: in
  // order), `size` bytes in all, as a DataView.
  function unpacked(text, width, size) {
    const raw = atob(text);
    const src = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) src[i] = raw.charCodeAt(i);
    const planes = inflate(src, size);
    const n = size / width;
    const out = new Uint8Array(size);
    for (let b = 0; b < width; b++) {
      for (let i = 0; i < n; i++) out[i * width + b] = planes[b * n + i];
    }
    return new DataView(out.buffer);
  }
  // A parameter's values on a grid of decimals of `digits` significant
  // digits, four or more (mod.rs, `decimal_keys`): a grid point m * 10^e,
  // or the middle of the interval above it, from its code.
  // Powers of ten as literals, each the exact f64 (up to 10^22).
  const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
  function gridValue(key, e0, digits) {
    if (key === 0) return 0;
    const first = POW10[digits - 1];
    const perDecade = 18 * first;
    const k = Math.abs(key) - 1;
    const e = e0 + Math.floor(k / perDecade);
    const code = k % perDecade;
    const m = first + Math.floor(code / 2);
    // Integers over powers of ten (exact below 10^22): correctly rounded,
    // so a grid point is the very f64 a link's "0.1234" reads as.
    let v;
    if (code % 2 === 0) v = e < 0 ? m / POW10[-e] : m * POW10[e];
    else v = e < 0 ? (2 * m + 1) / (2 * POW10[-e]) : ((2 * m + 1) * POW10[e]) / 2;
    return key < 0 ? -v : v;
  }
  // Text packed as bytes (t8z): whether a claim holds in each draw, "1",
  // "0" or "-" (undefined).
  function text(spec) {
    const bytes = unpacked(spec.t8z, 1, N);
    let out = "";
    for (let i = 0; i < N; i++) out += String.fromCharCode(bytes.getUint8(i));
    return out;
  }
  function decode(spec) {
    const out = new Float64Array(N);
    if ("decimal" in spec) {
      const grid = spec.decimal;
      const keys = decode(grid.keys);
      for (let i = 0; i < N; i++) out[i] = gridValue(keys[i] + grid.offset, grid.e0, grid.digits);
    } else if ("all" in spec) {
      out.fill(spec.all === null ? NaN : spec.all);
    } else if ("f64z" in spec) {
      const view = unpacked(spec.f64z, 1, 8 * N);
      for (let i = 0; i < N; i++) out[i] = view.getFloat64(8 * i, true);
    } else if ("f32z" in spec) {
      const view = unpacked(spec.f32z, 4, 4 * N);
      for (let i = 0; i < N; i++) out[i] = view.getFloat32(4 * i, true);
    } else if ("u32z" in spec) {
      const view = unpacked(spec.u32z, 4, 4 * N);
      for (let i = 0; i < N; i++) out[i] = view.getUint32(4 * i, true);
    } else if ("u16z" in spec) {
      const view = unpacked(spec.u16z, 2, 2 * N);
      for (let i = 0; i < N; i++) out[i] = view.getUint16(2 * i, true);
    }
    return out;
  }
  // The table of count series (mod.rs, `Series`): each {given, hits} once.
  const series = DATA.series.map(function (s) {
    return { given: decode(s.given), hits: decode(s.hits) };
  });
  // p_d = hits / given, NaN where given never held (as per_draw::boolean_p),
  // of the series at `index`.
  function probabilities(index) {
    const given = series[index].given;
    const hits = series[index].hits;
    const p = new Float64Array(N);
    for (let i = 0; i < N; i++) p[i] = given[i] > 0 ? hits[i] / given[i] : NaN;
    return p;
  }
  const params = DATA.params.map(function (p) {
    const values = decode(p.values);
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return { name: p.name, q05: p.q05, q95: p.q95, values: values, min: min, max: max };
  });
  const byName = new Map(params.map(function (p) { return [p.name, p]; }));
  const scenarios = DATA.scenarios.map(function (s) {
    return { name: s.name, p: s.outcomes.map(probabilities) };
  });
  const baselines = DATA.baselines.map(function (b) {
    return { name: b.name, of: b.of, p: b.outcomes.map(probabilities) };
  });
  // A poster's world: one bit per draw, least significant first.
  const posters = new Map((DATA.posters || []).map(function (p) {
    const raw = atob(p.world);
    const world = new Uint8Array(N);
    for (let i = 0; i < N; i++) world[i] = (raw.charCodeAt(i >> 3) >> (i & 7)) & 1;
    return [p.author, world];
  }));
  // A claim's value in each draw: hits / given of its event in its
  // scenario, less the same in the other scenario for a comparison, as
  // crates/analysis/src/claims.rs computes it (the same operations, so the
  // same f64); or the values themselves.
  function claimValues(spec) {
    if (!("series" in spec)) return decode(spec);
    const here = series[spec.series[0]];
    const there = spec.series.length > 1 ? series[spec.series[1]] : null;
    const out = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const p = here.hits[i] / here.given[i];
      out[i] = there === null ? p : p - there.hits[i] / there.given[i];
    }
    return out;
  }
  const claims = DATA.claims.map(function (c) {
    return {
      id: c.id, comparative: c.comparative, untestable: c.untestable,
      prior_only: c.prior_only, values: claimValues(c.values), holds: text(c.holds),
    };
  });

  // ---- numbers as the report writes them (crates/report/src/format.rs) ---
  // Rust rounds exact ties to even, toFixed away from zero: the exact
  // decimal expansion (toFixed(100) is exact at these magnitudes) decides.
  function fixed(v, digits) {
    const a = Math.abs(v);
    let out = a.toFixed(digits);
    const exact = a.toFixed(100);
    const cut = exact.indexOf(".") + 1 + digits;
    const rest = exact.slice(cut);
    if (/^50*$/.test(rest)) {
      const down = exact.slice(0, digits === 0 ? cut - 1 : cut);
      const last = down.charCodeAt(down.length - 1) - 48;
      if (last % 2 === 0) out = down;
    }
    return (v < 0 ? "-" : "") + out;
  }
  function percent(p) {
    if (!Number.isFinite(p)) return "-";
    const v = 100 * p;
    if (v === 0) return "0%";
    if (v === 100) return "100%";
    if (v < 0.01) return "<0.01%";
    if (v > 99.99) return ">99.99%";
    if (!(v >= 1 && v <= 99)) return fixed(v, 2) + "%";
    return fixed(v, 1) + "%";
  }
  function pointsBare(d) {
    if (!Number.isFinite(d)) return "-";
    const v = 100 * d;
    if (v === 0) return "0";
    const text = fixed(v, Math.abs(v) < 1 ? 2 : 1);
    return v < 0 ? text : "+" + text;
  }
  function points(d) {
    return Number.isFinite(d) ? pointsBare(d) + " pp" : "-";
  }
  // A value for reading (format.rs, `number`): whole numbers as they are,
  // with thousands separators from 10,000 on; four significant digits but
  // at least one decimal; scientific, "3.142e-5", for tiny or huge ones.
  function number(x) {
    if (x === 0) return "0";
    if (x === null || !Number.isFinite(x)) return "-";
    const a = Math.abs(x);
    const sign = x < 0 ? "-" : "";
    if (Number.isInteger(x) && a < 1e15) {
      return sign + (a < 1e4 ? String(a) : String(a).replace(/\B(?=(\d{3})+$)/g, ","));
    }
    const magnitude = Math.floor(Math.log10(a));
    if (magnitude >= -3 && magnitude < 6) return fixed(x, Math.max(1, 3 - magnitude));
    const parts = a.toExponential(3).split("e");
    // toExponential rounds an exact tie up, Rust to even; only an integer
    // (beyond 10^15 here) can be one.
    const digits = Number.isInteger(a) ? BigInt(a).toString() : "";
    const tie = /^\d{3}[02468]50*$/.test(digits);
    return sign + (tie ? digits[0] + "." + digits.slice(1, 4) : parts[0]) + "e" + Number(parts[1]);
  }
  // A slider's value: four significant digits, so that the link says it
  // exactly and reading the link back keeps the same draws.
  function round4(v) {
    return Number.parseFloat(v.toPrecision(4));
  }

  // ---- statistics (crates/analysis: mean in draw order, type-7) ----------
  function quantile7(sorted, q) {
    const last = sorted.length - 1;
    const h = last * q;
    const lo = Math.min(Math.floor(h), last);
    const hi = Math.min(lo + 1, last);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
  // Mean and 90% interval of the finite values, in draw order.
  function spread(values) {
    if (values.length === 0) return null;
    let sum = 0;
    for (const v of values) sum += v;
    const sorted = Float64Array.from(values).sort();
    return {
      mean: sum / values.length, q05: quantile7(sorted, 0.05),
      q50: quantile7(sorted, 0.5), q95: quantile7(sorted, 0.95), n: values.length,
    };
  }
  function keptValues(series, kept) {
    const out = [];
    for (let i = 0; i < N; i++) if (kept[i] && Number.isFinite(series[i])) out.push(series[i]);
    return out;
  }

  // ---- state: the reader's ranges, and the URL fragment ------------------
  const state = new Map(); // name -> {lo, hi}, either null for no limit
  let author = null; // the poster whose world is shown, if any
  function fragment() {
    const parts = [];
    if (author !== null) parts.push("author=" + encodeURIComponent(author));
    for (const p of params) {
      const r = state.get(p.name);
      if (!r || (r.lo === null && r.hi === null)) continue;
      parts.push(p.name + "=" + (r.lo === null ? "" : String(r.lo)) + ".." + (r.hi === null ? "" : String(r.hi)));
    }
    return parts.join("&");
  }
  function readFragment() {
    state.clear();
    author = null;
    const unknown = [];
    // Split before decoding: an author's name may hold an escaped "&".
    for (const raw of location.hash.replace(/^#/, "").split("&")) {
      let part = raw;
      try {
        part = decodeURIComponent(raw);
      } catch (e) {
        // A malformed escape: read the part as it is.
      }
      if (part === "") continue;
      const eq = part.indexOf("=");
      const name = eq < 0 ? part : part.slice(0, eq);
      const range = eq < 0 ? "" : part.slice(eq + 1);
      // `author=NAME`: a poster's world (unless the model has a parameter
      // of that name and no such poster).
      if (name === "author" && eq >= 0 && (posters.has(range) || !byName.has(name))) {
        if (posters.has(range)) author = range;
        else unknown.push(part);
        continue;
      }
      const dots = range.indexOf("..");
      const lo = dots < 0 ? "" : range.slice(0, dots);
      const hi = dots < 0 ? "" : range.slice(dots + 2);
      const number = function (s) {
        if (s === "") return null;
        const v = Number(s);
        return Number.isFinite(v) ? v : undefined;
      };
      const r = { lo: number(lo), hi: number(hi) };
      if (!byName.has(name) || dots < 0 || r.lo === undefined || r.hi === undefined) {
        unknown.push(part);
        continue;
      }
      state.set(name, r);
    }
    return unknown;
  }

  // ---- the controls -------------------------------------------------------
  // Each belief's fieldset is built here from the data, as the page once
  // wrote it in HTML (page.rs), where two hundred of them weighed a fifth of
  // the page. Model text (label, doc) is set as text, never as markup.
  const SVG = "http://www.w3.org/2000/svg";
  function make(tag, attributes, parent, text, namespace) {
    const el = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
    for (const key in attributes) el.setAttribute(key, String(attributes[key]));
    if (text !== undefined) el.textContent = text;
    if (parent) parent.appendChild(el);
    return el;
  }
  function svg(tag, attributes, parent) {
    return make(tag, attributes, parent, undefined, SVG);
  }
  function belief(p) {
    const fieldset = make("fieldset", { class: "belief", "data-belief": p.name });
    const legend = make("legend", {}, fieldset);
    // Without a label, the name as code.
    if (p.label !== undefined) legend.textContent = p.label;
    else make("code", {}, legend, p.name);
    if (p.doc !== undefined) make("p", { class: "doc" }, fieldset, p.doc);
    svg("svg", {
      class: "hist", "data-hist": p.name, viewBox: "0 0 300 48",
      preserveAspectRatio: "none", "aria-hidden": "true",
    }, fieldset);
    const prior = make("p", { class: "prior" }, fieldset,
      "prior 90%: " + number(p.q05) + " to " + number(p.q95) + "; you keep: ");
    make("output", { "data-range": p.name }, prior, "any value");
    // The wrapping label names each slider ("lowest"), and the fieldset's
    // legend names the belief: a screen reader announces both, so no
    // aria-label repeats them.
    for (const [bound, word] of [["lo", "lowest"], ["hi", "highest"]]) {
      const label = make("label", { class: "slider" }, fieldset);
      make("span", {}, label, word);
      label.append(" ");
      make("input", {
        type: "range", min: 0, max: STEPS, step: 10, value: bound === "lo" ? 0 : STEPS,
        "data-param": p.name, "data-bound": bound,
      }, label);
    }
    return fieldset;
  }
  const more = document.querySelector("details.more");
  for (const i of DATA.beliefs.first) more.before(belief(DATA.params[i]));
  for (const i of DATA.beliefs.more) more.append(belief(DATA.params[i]));
  const sliders = Array.from(document.querySelectorAll("input[data-param]"));
  const presetButtons = Array.from(document.querySelectorAll("button[data-author]"));
  function valueAt(p, k) {
    return round4(p.min + ((p.max - p.min) * k) / STEPS);
  }
  function stepOf(p, v) {
    if (!(p.max > p.min)) return 0;
    return Math.round(((v - p.min) / (p.max - p.min)) * STEPS);
  }
  function onSlide(event) {
    const input = event.target;
    const p = byName.get(input.dataset.param);
    if (!p) return;
    const k = Number(input.value);
    const r = state.get(p.name) || { lo: null, hi: null };
    if (input.dataset.bound === "lo") r.lo = k <= 0 ? null : valueAt(p, k);
    else r.hi = k >= STEPS ? null : valueAt(p, k);
    state.set(p.name, r);
    // One slider pushes the other rather than cross it: a range is never empty.
    if (r.lo !== null && r.hi !== null && r.lo > r.hi) {
      if (input.dataset.bound === "lo") r.hi = r.lo;
      else r.lo = r.hi;
      placeSliders();
    }
    remember();
    update();
  }
  // The state into the address, without reloading or adding to history.
  function remember() {
    const address = fragment() === "" ? location.pathname + location.search : "#" + fragment();
    try {
      history.replaceState(null, "", address);
    } catch (e) {
      location.hash = fragment();
    }
  }
  function placeSliders() {
    for (const input of sliders) {
      const p = byName.get(input.dataset.param);
      const r = state.get(input.dataset.param) || { lo: null, hi: null };
      const lo = input.dataset.bound === "lo";
      const v = lo ? r.lo : r.hi;
      input.value = String(v === null ? (lo ? 0 : STEPS) : Math.max(0, Math.min(STEPS, stepOf(p, v))));
      input.setAttribute("aria-valuetext", v === null ? "no limit" : String(v));
    }
  }

  // ---- drawing ----------------------------------------------------------
  // A parameter's histogram is drawn once (all draws, the prior's band);
  // an update only resizes the kept bars and the shades outside the range.
  const BINS = 30;
  const WIDTH = 300;
  const HEIGHT = 48;
  function histogram(el, p) {
    const span = p.max - p.min || 1;
    const x = function (v) { return ((v - p.min) / span) * WIDTH; };
    const bin = new Uint8Array(N);
    const all = new Array(BINS).fill(0);
    for (let i = 0; i < N; i++) {
      bin[i] = Math.max(0, Math.min(BINS - 1, Math.floor(((p.values[i] - p.min) / span) * BINS)));
      all[bin[i]]++;
    }
    const top = Math.max.apply(null, all) || 1;
    const scale = (HEIGHT - 4) / top;
    if (Number.isFinite(p.q05) && Number.isFinite(p.q95)) {
      const a = Math.max(0, x(p.q05));
      const b = Math.min(WIDTH, x(p.q95));
      if (b > a) svg("rect", { x: a, y: 0, width: b - a, height: HEIGHT, class: "prior" }, el);
    }
    const w = WIDTH / BINS;
    const kept = [];
    for (let b = 0; b < BINS; b++) {
      const h = all[b] * scale;
      svg("rect", { x: b * w + 0.5, y: HEIGHT - h, width: w - 1, height: h, class: "all" }, el);
      kept.push(svg("rect", { x: b * w + 0.5, y: HEIGHT, width: w - 1, height: 0, class: "kept" }, el));
    }
    const below = svg("rect", { x: 0, y: 0, width: 0, height: HEIGHT, class: "out" }, el);
    const above = svg("rect", { x: WIDTH, y: 0, width: 0, height: HEIGHT, class: "out" }, el);
    return { p: p, x: x, bin: bin, scale: scale, kept: kept, below: below, above: above };
  }
  function redraw(h, keptDraw, r) {
    const counts = new Array(BINS).fill(0);
    for (let i = 0; i < N; i++) if (keptDraw[i]) counts[h.bin[i]]++;
    for (let b = 0; b < BINS; b++) {
      const height = counts[b] * h.scale;
      h.kept[b].setAttribute("y", String(HEIGHT - height));
      h.kept[b].setAttribute("height", String(height));
    }
    const lo = r && r.lo !== null ? Math.min(WIDTH, Math.max(0, h.x(r.lo))) : 0;
    const hi = r && r.hi !== null ? Math.min(WIDTH, Math.max(0, h.x(r.hi))) : WIDTH;
    h.below.setAttribute("width", String(lo));
    h.above.setAttribute("x", String(hi));
    h.above.setAttribute("width", String(WIDTH - hi));
  }
  const histograms = [];
  for (const el of document.querySelectorAll("[data-hist]")) {
    const p = byName.get(el.dataset.hist);
    if (p) histograms.push(histogram(el, p));
  }
  function chart(results) {
    const el = document.getElementById("chart");
    const title = el.querySelector("title");
    while (el.lastChild && el.lastChild !== title) el.removeChild(el.lastChild);
    const rows = DATA.outcomes.length;
    const per = scenarios.length;
    const left = 190;
    const width = 640;
    const rowHeight = 10 + 7 * per;
    const height = 22 + rows * rowHeight;
    el.setAttribute("viewBox", "0 0 " + width + " " + height);
    const x = function (p) { return left + p * (width - left - 12); };
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      svg("line", { x1: x(t), x2: x(t), y1: 14, y2: height, class: "grid" }, el);
      svg("text", { x: x(t), y: 10, class: "tick" }, el).textContent = 100 * t + "%";
    }
    DATA.outcomes.forEach(function (name, o) {
      const y0 = 18 + o * rowHeight;
      svg("text", { x: left - 8, y: y0 + rowHeight / 2 + 3, class: "label" }, el).textContent = DATA.labels[o] || name;
      scenarios.forEach(function (s, i) {
        const r = results[i][o];
        if (!r) return;
        const y = y0 + 6 + 7 * i;
        svg("line", { x1: x(r.q05), x2: x(r.q95), y1: y, y2: y, class: "s" + (i % 8) }, el);
        svg("circle", { cx: x(r.mean), cy: y, r: 3, class: "s" + (i % 8) }, el);
      });
    });
  }

  // ---- recomputing --------------------------------------------------------
  function keptDraws() {
    const kept = author === null ? new Uint8Array(N).fill(1) : Uint8Array.from(posters.get(author));
    for (const [name, r] of state) {
      const p = byName.get(name);
      if (!p) continue;
      for (let i = 0; i < N; i++) {
        const v = p.values[i];
        if ((r.lo !== null && !(v >= r.lo)) || (r.hi !== null && !(v <= r.hi))) kept[i] = 0;
      }
    }
    return kept;
  }
  // The page's elements never change: each selector is looked up once.
  const found = new Map();
  function set(selector, text, values) {
    if (!found.has(selector)) found.set(selector, Array.from(document.querySelectorAll(selector)));
    for (const el of found.get(selector)) {
      el.textContent = text;
      for (const key in values) {
        if (values[key] === null || values[key] === undefined) el.removeAttribute("data-" + key);
        else el.setAttribute("data-" + key, String(values[key]));
      }
    }
  }
  function attr(value) {
    return CSS.escape(value);
  }
  // "name 0.2 to 0.4", "name ≤ 0.4", "name ≥ 0.2".
  function rangeText(name, r) {
    if (r.lo === null) return name + " \u2264 " + r.hi;
    if (r.hi === null) return name + " \u2265 " + r.lo;
    return name + " " + r.lo + " to " + r.hi;
  }
  function verdict(c, credence, defined) {
    if (c.untestable.length > 0) return "untestable (" + c.untestable.join(", ") + ")";
    let word = "undefined";
    if (defined > 0) {
      if (credence >= DATA.rules.supported) word = "supported";
      else if (credence <= DATA.rules.contradicted) word = "contradicted";
      else word = "contested";
    }
    return c.prior_only ? word + " (tests the prior, not the model)" : word;
  }
  function rerunAdvice(keptCount) {
    const restricted = Array.from(state.entries()).filter(function (e) {
      return e[1].lo !== null || e[1].hi !== null;
    });
    const wanted = Math.ceil((DATA.of * 100) / Math.max(1, keptCount));
    // A poster's world: the crux analysis of a larger run reads all of it.
    if (author !== null) {
      return ["A run with more draws keeps more of this world (about 100 here); its summary.html and worlds.csv give the world's numbers over all its draws:",
        "uchronia run " + DATA.model + " --draws " + wanted + " --trials " + wanted * DATA.trials_per_draw + " --seed " + DATA.seed];
    }
    if (wanted <= DATA.max_draws) {
      return ["A run with more draws keeps more of them (about 100 here); open its explore.html:",
        "uchronia run " + DATA.model + " --draws " + wanted + " --trials " + wanted * DATA.trials_per_draw + " --seed " + DATA.seed];
    }
    if (restricted.length === 1) {
      const p = byName.get(restricted[0][0]);
      const r = restricted[0][1];
      const lo = r.lo === null ? round4(p.min) : r.lo;
      const hi = r.hi === null ? round4(p.max) : r.hi;
      const step = round4((hi - lo) / 4) || 1;
      return ["Fix the one belief you restricted at values across your range instead:",
        "uchronia sweep " + DATA.model + " --param " + p.name + " --values " + lo + ":" + hi + ":" + step];
    }
    return ["No run keeps enough draws within this page's " + DATA.max_draws + " draws: narrow the priors in the model itself, then run it:",
      "uchronia run " + DATA.model + " --seed " + DATA.seed];
  }
  function update() {
    const started = performance.now();
    const kept = keptDraws();
    let keptCount = 0;
    for (let i = 0; i < N; i++) keptCount += kept[i];
    set("[data-kept]", String(keptCount), {});
    const warning = document.getElementById("warning");
    warning.hidden = keptCount >= DATA.few_kept;
    if (!warning.hidden) {
      const advice = rerunAdvice(keptCount);
      document.getElementById("rerun-why").textContent = advice[0];
      document.getElementById("rerun").textContent = advice[1];
    }
    const results = scenarios.map(function (s) {
      return s.p.map(function (series) { return spread(keptValues(series, kept)); });
    });
    scenarios.forEach(function (s, i) {
      DATA.outcomes.forEach(function (o, j) {
        const r = results[i][j];
        const where = '[data-scenario="' + attr(s.name) + '"][data-outcome="' + attr(o) + '"]';
        const ci = '[data-ci-scenario="' + attr(s.name) + '"][data-ci-outcome="' + attr(o) + '"]';
        set(where, r ? percent(r.mean) : "-", { value: r ? r.mean : null, n: r ? r.n : 0 });
        set(ci, r ? "(" + percent(r.q05) + " to " + percent(r.q95) + ")" : "", { lo: r ? r.q05 : null, hi: r ? r.q95 : null });
      });
    });
    for (const b of baselines) {
      const s = scenarios[b.of];
      DATA.outcomes.forEach(function (o, j) {
        const diffs = [];
        for (let i = 0; i < N; i++) {
          const d = s.p[j][i] - b.p[j][i];
          if (kept[i] && Number.isFinite(d)) diffs.push(d);
        }
        const r = spread(diffs);
        const text = r ? points(r.mean) + " (" + pointsBare(r.q05) + " to " + pointsBare(r.q95) + ")" : "-";
        const where = '[data-diff-scenario="' + attr(s.name) + '"][data-diff-outcome="' + attr(o) + '"]';
        set(where, text, { value: r ? r.mean : null, lo: r ? r.q05 : null, hi: r ? r.q95 : null, n: r ? r.n : 0 });
      });
    }
    for (const c of claims) {
      const values = [];
      let held = 0;
      for (let i = 0; i < N; i++) {
        if (!kept[i] || c.holds[i] === "-") continue;
        values.push(c.values[i]);
        if (c.holds[i] === "1") held++;
      }
      const r = spread(values);
      const credence = values.length > 0 ? held / values.length : NaN;
      const show = c.comparative ? points : percent;
      const id = attr(c.id);
      set('[data-claim-estimate="' + id + '"]', r ? show(r.mean) + " (" + show(r.q05) + " to " + show(r.q95) + ")" : "-",
        { value: r ? r.mean : null, lo: r ? r.q05 : null, hi: r ? r.q95 : null });
      set('[data-claim-credence="' + id + '"]', percent(credence), { value: values.length > 0 ? credence : null });
      set('[data-claim-verdict="' + id + '"]', verdict(c, credence, values.length), {});
      set('[data-claim-draws="' + id + '"]', values.length < DATA.few_draws ? values.length + " (few)" : String(values.length), { n: values.length });
    }
    for (const h of histograms) redraw(h, kept, state.get(h.p.name));
    for (const el of document.querySelectorAll("fieldset[data-belief]")) {
      const r = state.get(el.dataset.belief);
      el.classList.toggle("restricted", !!r && (r.lo !== null || r.hi !== null));
    }
    for (const el of document.querySelectorAll("output[data-range]")) {
      const r = state.get(el.dataset.range);
      el.textContent = !r || (r.lo === null && r.hi === null) ? "any value" : rangeText("", r).trim();
    }
    const link = document.getElementById("link");
    link.value = location.href;
    const ranges = document.getElementById("ranges");
    const restricted = [];
    for (const p of params) {
      const r = state.get(p.name);
      if (r && (r.lo !== null || r.hi !== null)) restricted.push(rangeText(p.name, r));
    }
    const where = restricted.length === 0 ? "" : "where " + restricted.join("; ");
    if (author === null) ranges.textContent = where === "" ? "(no belief restricted)" : where;
    else ranges.textContent = (where === "" ? "" : where + ", ") + "in the poster's world below";
    for (const el of document.querySelectorAll("[data-world-note]")) el.hidden = el.dataset.worldNote !== author;
    for (const el of presetButtons) el.setAttribute("aria-pressed", String(el.dataset.author === author));
    chart(results);
    document.body.setAttribute("data-ready", "1");
    document.body.setAttribute("data-update-ms", String(performance.now() - started));
  }

  function load() {
    const unknown = readFragment();
    const note = document.getElementById("copied");
    note.textContent = unknown.length > 0 ? "Ignored in the link: " + unknown.join(", ") : "";
    placeSliders();
    update();
  }
  for (const input of sliders) {
    input.addEventListener("input", onSlide);
    input.addEventListener("change", onSlide);
  }
  window.addEventListener("hashchange", load);
  // A poster's preset replaces the reader's ranges with the poster's world;
  // pressed again, it leaves the world and keeps any range set since.
  for (const button of presetButtons) {
    button.addEventListener("click", function () {
      if (author === button.dataset.author) {
        author = null;
      } else {
        author = button.dataset.author;
        state.clear();
      }
      remember();
      placeSliders();
      update();
    });
  }
  document.getElementById("reset").addEventListener("click", function () {
    author = null;
    state.clear();
    remember();
    placeSliders();
    update();
  });
  // On a narrow screen the beliefs come after the answers; a link to them
  // would change the fragment, which holds the state, so a button scrolls.
  document.getElementById("to-beliefs").addEventListener("click", function () {
    document.getElementById("h-beliefs").scrollIntoView();
  });
  document.getElementById("copy").addEventListener("click", function () {
    const link = document.getElementById("link");
    const note = document.getElementById("copied");
    link.select();
    const done = function () { note.textContent = "Link copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link.value).then(done, function () {
        note.textContent = "Select the link and copy it.";
      });
    } else {
      note.textContent = document.execCommand && document.execCommand("copy") ? "Link copied." : "Select the link and copy it.";
    }
  });
  load();
})();
