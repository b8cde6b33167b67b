//! Time as written (contract 1.1, section 1): a node's `year` (an integer
//! or a `[first, last]` span) and `fact` (its real value), and a scenario's
//! `facts_through`. Only what the text decides is checked here; whether a
//! fact is a value of its node is stage two's business.

use toml::de::DeValue;

use super::RawValue;
use super::fields::get;
use crate::ir::{Span, Years};
use crate::reader::{Sink, Value, number_of, span, type_name, wrong_type};

/// Years must fit here: a sanity bound that keeps arithmetic on them exact.
const YEAR_LIMIT: i64 = 1_000_000;

/// One year as written: an integer within [`YEAR_LIMIT`].
fn one_year(sink: &mut Sink, key: &str, value: &Value, hint: &str) -> Option<i32> {
    match value.get_ref() {
        DeValue::Integer(i) => {
            let year = i64::from_str_radix(i.as_str(), i.radix()).ok();
            match year {
                Some(y) if y.abs() <= YEAR_LIMIT => i32::try_from(y).ok(),
                _ => {
                    sink.error(
                        span(value),
                        format!("`{key}` is out of range: years lie within ±{YEAR_LIMIT}"),
                        None,
                    );
                    None
                }
            }
        }
        _ => {
            wrong_type(sink, key, "a whole year", value, Some(hint.to_string()));
            None
        }
    }
}

/// A node's `year`: `1933` or `[1930, 1933]`, with where it is.
pub(super) fn read_year(sink: &mut Sink, table: &toml::de::DeTable) -> Option<(Years, Span)> {
    let value = get(table, "year")?;
    let at = span(value);
    let hint = "write year = 1933 or year = [1930, 1933]";
    match value.get_ref() {
        DeValue::Array(items) => {
            let items: Vec<&Value> = items.iter().collect();
            let [first, last] = items.as_slice() else {
                sink.error(
                    at,
                    format!(
                        "`year` as a span is [first, last], found {} items",
                        items.len()
                    ),
                    Some(hint.to_string()),
                );
                return None;
            };
            let first = one_year(sink, "year", first, hint);
            let last = one_year(sink, "year", last, hint);
            let (first, last) = (first?, last?);
            if first > last {
                sink.error(
                    at,
                    format!("`year` runs backwards: {first} is after {last}"),
                    Some(format!("write year = [{last}, {first}]")),
                );
                return None;
            }
            Some((Years { first, last }, at))
        }
        _ => {
            let year = one_year(sink, "year", value, hint)?;
            Some((
                Years {
                    first: year,
                    last: year,
                },
                at,
            ))
        }
    }
}

/// A plain TOML value (in `do` or `fact`) as written.
pub(super) fn raw_value(item: &Value) -> RawValue {
    match item.get_ref() {
        DeValue::Boolean(b) => RawValue::Boolean(*b),
        DeValue::String(s) => RawValue::String(s.to_string()),
        DeValue::Integer(_) | DeValue::Float(_) => match number_of(item.get_ref()) {
            Some(x) => RawValue::Number(x),
            None => RawValue::Other(None),
        },
        other => RawValue::Other(Some(type_name(other))),
    }
}

/// A node's `fact`, with where it is.
pub(super) fn read_fact(table: &toml::de::DeTable) -> Option<(RawValue, Span)> {
    let value = get(table, "fact")?;
    Some((raw_value(value), span(value)))
}

/// A scenario's `facts_through`: a year.
pub(super) fn read_facts_through(
    sink: &mut Sink,
    table: &toml::de::DeTable,
) -> Option<(i32, Span)> {
    let value = get(table, "facts_through")?;
    let year = one_year(
        sink,
        "facts_through",
        value,
        "write facts_through = 1922: every fact known by the end of 1922 is fixed",
    )?;
    Some((year, span(value)))
}
