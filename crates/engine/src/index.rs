//! The index of a lookup table: where in a table over discrete slots the
//! values of one trial (or a batch of trials) fall. Knows nothing of
//! expressions: `table.rs` builds tables over it, and the `Table` that an
//! expression holds (`expr.rs`) carries one.

use crate::batch::BATCH;

/// The largest table built, in entries (times states for a categorical).
pub(crate) const MAX_TABLE: usize = 1024;

/// The possible run-time values of each slot, when they are few: booleans
/// {0, 1}, categorical nodes their state ids. `None` for numbers.
pub(crate) type Domains = [Option<Vec<f64>>];

/// One parent slot of a table index.
#[derive(Clone, Debug, PartialEq)]
struct Part {
    /// The parent's slot (booleans, state ids).
    slot: usize,
    /// The slot read at run time: `slot`, or for a domain with gaps the
    /// parent's rank slot, which holds the index of its state (0, 1, ...),
    /// so the offset is `rank * stride` there too, without a lookup.
    read: usize,
    /// The position step of this parent, as an `f64`.
    stride: f64,
    /// For a domain with gaps (state ids are interned model-wide, so a
    /// node's states need not be consecutive): `offsets[value - min]` is
    /// the value's rank in the domain times `stride`. `None` for a
    /// consecutive domain, whose offset is `(value - min) * stride`.
    offsets: Option<Box<[f64]>>,
    min: usize,
}

impl Part {
    /// This parent's share of the position for slot value `value`.
    #[inline]
    fn offset(&self, value: f64) -> f64 {
        match &self.offsets {
            None => value * self.stride,
            // Out of the domain (never, by construction) gives NaN, whose
            // index is far past the end of any table.
            Some(offsets) => offsets
                .get(whole(value).wrapping_sub(self.min))
                .copied()
                .unwrap_or(f64::NAN),
        }
    }
}

/// Maps the values of some discrete slots to a table position:
/// `base + sum(offset(value))`, computed in `f64` (exact: small integers),
/// with 2^52 added (see [`to_index`]).
/// Parents are booleans and states, so their slots always hold one of the
/// integers of their domain, and the sum is a whole number in `0..size`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Index {
    parts: Vec<Part>,
    /// `2^52 - sum(min * stride)`: puts each parent's smallest value at
    /// zero, and the position in the low bits of the mantissa.
    base: f64,
    size: usize,
}

/// 2^52: whole numbers `0 <= p < 2^52` added to it land in the low bits of
/// the mantissa.
const SHIFT: f64 = 4_503_599_627_370_496.0;

/// The low 52 bits of an `f64`.
const MASK: u64 = (1 << 52) - 1;

/// The index of a position computed by [`Index`] (which includes 2^52, so
/// the index is the low mantissa bits). Cheaper than `as usize` (which must
/// saturate) and it vectorises. NaN gives an index past any table.
#[inline]
pub(crate) fn to_index(position: f64) -> usize {
    (position.to_bits() & MASK) as usize
}

/// A whole number `0 <= x < 2^52` as an index (a state id, say).
#[inline]
fn whole(x: f64) -> usize {
    ((x + SHIFT).to_bits() & MASK) as usize
}

impl Index {
    /// An index over `slots`, if all are discrete and the table of `row`
    /// entries per position stays under [`MAX_TABLE`]. `ranks[slot]` is the
    /// rank slot of a parent whose domain has gaps, if it has one.
    pub(crate) fn new(
        slots: &[usize],
        domains: &Domains,
        ranks: &[Option<usize>],
        row: usize,
    ) -> Option<Index> {
        let mut parts = Vec::with_capacity(slots.len());
        let mut size = 1usize;
        let mut base = SHIFT;
        for &slot in slots {
            let domain = domains.get(slot)?.as_ref()?;
            let mut min = usize::MAX;
            let mut max = 0;
            for &value in domain {
                if !(value >= 0.0 && value.fract() == 0.0 && value < f64::from(u32::MAX)) {
                    return None;
                }
                min = min.min(value as usize);
                max = max.max(value as usize);
            }
            if domain.is_empty() {
                return None;
            }
            let stride = size as f64;
            let offsets = if max - min + 1 == domain.len() {
                base -= min as f64 * stride;
                None
            } else {
                if max - min >= 1 << 16 {
                    return None;
                }
                let mut offsets = vec![f64::NAN; max - min + 1];
                for (rank, &value) in domain.iter().enumerate() {
                    offsets[value as usize - min] = rank as f64 * stride;
                }
                Some(offsets.into_boxed_slice())
            };
            let read = match offsets {
                Some(_) => ranks.get(slot).copied().flatten().unwrap_or(slot),
                None => slot,
            };
            parts.push(Part {
                slot,
                read,
                stride,
                offsets,
                min,
            });
            size = size.checked_mul(domain.len())?;
            if size.checked_mul(row.max(1))? > MAX_TABLE {
                return None;
            }
        }
        Some(Index { parts, base, size })
    }

    /// The parents' slots, in the order of their strides.
    pub(crate) fn slots(&self) -> Vec<usize> {
        self.parts.iter().map(|p| p.slot).collect()
    }

    /// The number of positions.
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// The length of a table over this index: the number of positions
    /// rounded up to a power of two, so that a lookup masks its index
    /// instead of checking it (the padding is never read: positions are
    /// below `size` by construction).
    pub(crate) fn padded(&self) -> usize {
        self.size.next_power_of_two()
    }

    /// Sets `out[t]` to `table`'s entry at the position of trial `t` of a
    /// batch laid out slot-major with `stride`, for `t` in `0..out.len()`.
    /// `table` has [`Index::padded`] entries, so the index is masked, not
    /// checked (`missing` is for a table of another length, which is never
    /// built). A single parent with consecutive values (a boolean, mostly)
    /// is read in the same loop; otherwise the positions come first, a pass
    /// per parent.
    #[inline(always)]
    pub(crate) fn lookups<T: Copy>(
        &self,
        table: &[T],
        missing: T,
        slots: &[f64],
        stride: usize,
        out: &mut [T],
        positions: &mut [f64; BATCH],
    ) {
        let n = out.len();
        if !table.len().is_power_of_two() {
            for (t, out) in out.iter_mut().enumerate() {
                *out = table
                    .get(self.position_at(slots, stride, t))
                    .copied()
                    .unwrap_or(missing);
            }
            return;
        }
        // `& mask` keeps every index inside the table.
        let mask = (table.len() - 1) as u64;
        if let [part] = &self.parts[..]
            && (part.offsets.is_none() || part.read != part.slot)
        {
            let column = &slots[part.read * stride..][..n];
            for (out, &value) in out.iter_mut().zip(column) {
                let position = self.base + value * part.stride;
                *out = table[(position.to_bits() & mask) as usize];
            }
            return;
        }
        let positions = &mut positions[..n];
        self.positions(slots, stride, positions);
        for (out, &position) in out.iter_mut().zip(positions.iter()) {
            *out = table[(position.to_bits() & mask) as usize];
        }
    }

    /// The position for trial `t` of a batch laid out slot-major with `stride`.
    #[inline]
    pub(crate) fn position_at(&self, slots: &[f64], stride: usize, t: usize) -> usize {
        let mut position = self.base;
        for part in &self.parts {
            let value = slots[part.read * stride + t];
            position += if part.read == part.slot {
                part.offset(value)
            } else {
                value * part.stride
            };
        }
        to_index(position)
    }

    /// Sets `positions[t]` to the position of trial `t` of a batch laid out
    /// slot-major with `stride`, as an `f64` (see [`to_index`]): one pass per
    /// parent, so the loops vectorise.
    #[inline]
    pub(crate) fn positions(&self, slots: &[f64], stride: usize, positions: &mut [f64]) {
        let mut parts = self.parts.iter();
        // The first parent writes `base + offset`, the others add theirs.
        match parts.next() {
            None => positions.fill(self.base),
            Some(part) => {
                let column = &slots[part.read * stride..][..positions.len()];
                match &part.offsets {
                    Some(_) if part.read != part.slot => {
                        for (position, &value) in positions.iter_mut().zip(column) {
                            *position = self.base + value * part.stride;
                        }
                    }
                    None => {
                        for (position, &value) in positions.iter_mut().zip(column) {
                            *position = self.base + value * part.stride;
                        }
                    }
                    Some(_) => {
                        for (position, &value) in positions.iter_mut().zip(column) {
                            *position = self.base + part.offset(value);
                        }
                    }
                }
            }
        }
        for part in parts {
            let column = &slots[part.read * stride..][..positions.len()];
            match &part.offsets {
                Some(_) if part.read != part.slot => {
                    for (position, &value) in positions.iter_mut().zip(column) {
                        *position += value * part.stride;
                    }
                }
                None => {
                    for (position, &value) in positions.iter_mut().zip(column) {
                        *position += value * part.stride;
                    }
                }
                Some(_) => {
                    for (position, &value) in positions.iter_mut().zip(column) {
                        *position += part.offset(value);
                    }
                }
            }
        }
    }

    /// Calls `f(position, slots)` for every combination of the parents'
    /// domain values, with `slots` holding the combination.
    pub(crate) fn for_each(
        &self,
        domains: &Domains,
        slots: &mut [f64],
        mut f: impl FnMut(usize, &[f64]),
    ) {
        let values: Vec<&Vec<f64>> = self
            .parts
            .iter()
            .map(|p| {
                domains[p.slot]
                    .as_ref()
                    .expect("indexed slots have domains")
            })
            .collect();
        let mut digits = vec![0usize; self.parts.len()];
        loop {
            // The position from the values (not from the slots read at run
            // time, which may be rank slots; the offsets agree).
            let mut position = self.base;
            for ((part, domain), &digit) in self.parts.iter().zip(&values).zip(&digits) {
                slots[part.slot] = domain[digit];
                position += part.offset(domain[digit]);
            }
            f(to_index(position), slots);
            // Advance the odometer.
            let mut k = 0;
            loop {
                if k == digits.len() {
                    return;
                }
                digits[k] += 1;
                if digits[k] < values[k].len() {
                    break;
                }
                digits[k] = 0;
                k += 1;
            }
        }
    }
}
