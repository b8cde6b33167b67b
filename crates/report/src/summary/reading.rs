//! What a claim measures, in words: its event and its condition (`given`)
//! as the model's labels name them, so that a reader sees beside a claim's
//! number which event it reads and under which condition ("The Soviet
//! state is destroyed before 1945, given `soviet_offensive` or “A
//! Soviet-Polish war in 1922-38”"), not the claims file's identifiers.
//!
//! An expression is compiled against the model (as the claims loader did)
//! and written back with words for its operators: `and`, `or`, `not`; a
//! comparison with a state or `true`/`false` reads `is` / `is not`, other
//! comparisons `=`, `≠`, `<`, `≤`, `>`, `≥`. A name reads as its `label`;
//! a name without one, or any part of the expression, that is exactly the
//! event of a labelled outcome of the model (`polish_war` is the outcome
//! “A Soviet-Polish war in 1922-38”, `leader_1928 == 'trotsky'` is
//! “Trotsky leads the USSR in 1928”) reads as that outcome's label; any
//! other name, and a state, stays its identifier, as code. Parentheses are
//! kept where the grammar needs them, and wherever `and` and `or` meet.
//! Inside a compound expression, and in a condition, labels are set in
//! quotation marks, so that a label holding "and" or "or" cannot be
//! misread and a condition's label reads mid-sentence. Text that does not compile (a claim about another
//! model) is shown as written, as code: this never fails.
//!
//! The pieces are [`Inline`]s, so each format escapes them as it escapes
//! every other text.

use uchronia_analysis::findings::ClaimSummary;
use uchronia_model::{BinaryOp, Expr, Function, Model, OutcomeKind, Ref, UnaryOp};

use super::{Inline, Line, code, text};

/// What the expression `source` says, in the model's words; a lone label
/// without quotation marks (it starts the reading).
pub fn expression(model: &Model, source: &str) -> Line {
    in_words(model, source, false)
}

/// What the condition `source` says, in the model's words, every label in
/// quotation marks (it follows "given", mid-sentence).
pub fn condition(model: &Model, source: &str) -> Line {
    in_words(model, source, true)
}

fn in_words(model: &Model, source: &str, quote_lone_label: bool) -> Line {
    let Ok((expr, _)) = uchronia_model::compile_expression(model, source, true) else {
        return vec![code(source.trim())];
    };
    let words = Words::new(model);
    if let (Some(label), false) = (words.label_of(&expr), quote_lone_label) {
        return vec![text(label)];
    }
    let mut line = Vec::new();
    words.write(&expr, &mut line);
    merge(line)
}

/// What a claim measures: its event (for a comparison, the event whose
/// chance in the two scenarios is compared), and ", given" its condition
/// when it has one.
pub fn reading(model: &Model, claim: &ClaimSummary) -> Line {
    let mut line = expression(model, &claim.event);
    if let Some(given) = &claim.given {
        line.push(text(", given "));
        line.extend(condition(model, given));
    }
    merge(line)
}

/// How tightly each kind of expression binds, loosest first, as in the
/// parser's grammar (crates/model/src/parser.rs).
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const COMPARE: u8 = 4;
const SUM: u8 = 5;
const PRODUCT: u8 = 6;
const NEGATION: u8 = 7;
const POWER: u8 = 8;
const ATOM: u8 = 9;

/// Whether an operand that binds so tightly may stand without parentheses.
type Fits = fn(u8) -> bool;

/// The model's names and the outcomes whose events have a label.
struct Words<'a> {
    model: &'a Model,
    /// Each labelled outcome of the model file without a condition: its
    /// event (or value) and its label, in model order.
    events: Vec<(&'a Expr, &'a str)>,
}

impl<'a> Words<'a> {
    fn new(model: &'a Model) -> Self {
        let events = (model.outcomes.iter())
            .filter(|o| o.listed)
            .filter_map(|o| {
                let label = o.label.as_deref()?;
                match &o.kind {
                    OutcomeKind::Boolean { when, given: None } => Some((when, label)),
                    OutcomeKind::Numeric { value, given: None } => Some((value, label)),
                    _ => None,
                }
            })
            .collect();
        Words { model, events }
    }

    /// The label `expr` reads as, when it has one: a name's own label, else
    /// that of the first labelled outcome whose event it is.
    fn label_of(&self, expr: &Expr) -> Option<&'a str> {
        let own = match expr {
            Expr::Ref(Ref::Param(id)) => {
                self.model.params.get(*id).and_then(|p| p.label.as_deref())
            }
            Expr::Ref(Ref::Node(id)) => self.model.nodes.get(*id).and_then(|n| n.label.as_deref()),
            Expr::Ref(Ref::Outcome(id)) => self
                .model
                .outcomes
                .get(*id)
                .and_then(|o| o.label.as_deref()),
            _ => None,
        };
        own.or_else(|| {
            (self.events.iter())
                .find(|(event, _)| *event == expr)
                .map(|(_, label)| *label)
        })
    }

    /// A name's identifier (empty for an id the model lacks, which a
    /// compiled expression never holds).
    fn identifier(&self, reference: Ref) -> &'a str {
        let name = match reference {
            Ref::Param(id) => self.model.params.get(id).map(|p| p.name.as_str()),
            Ref::Node(id) => self.model.nodes.get(id).map(|n| n.name.as_str()),
            Ref::Outcome(id) => self.model.outcomes.get(id).map(|o| o.name.as_str()),
        };
        name.unwrap_or_default()
    }

    /// How tightly `expr` binds as written: a labelled part is one word.
    fn binding(&self, expr: &Expr) -> u8 {
        if self.label_of(expr).is_some() {
            return ATOM;
        }
        match expr {
            Expr::Unary(UnaryOp::Not, _) => NOT,
            Expr::Unary(UnaryOp::Neg, _) => NEGATION,
            Expr::Binary(op, _, _) => binding(*op),
            _ => ATOM,
        }
    }

    /// Writes `expr` in words into `line`.
    fn write(&self, expr: &Expr, line: &mut Line) {
        if let Some(label) = self.label_of(expr) {
            line.push(text(format!("“{label}”")));
            return;
        }
        match expr {
            Expr::Number(x) if x.is_finite() => line.push(text(x.to_string())),
            Expr::Number(_) => line.push(text("-")),
            Expr::Boolean(b) => line.push(text(b.to_string())),
            Expr::State(state) => {
                let name = self.model.state_names.get(state.0 as usize);
                line.push(code(name.map_or("", String::as_str)));
            }
            Expr::Ref(reference) => line.push(code(self.identifier(*reference))),
            Expr::Unary(UnaryOp::Not, operand) => {
                line.push(text("not "));
                // `not a == b` is `not (a == b)`; the parentheses say so.
                self.operand(operand, |b| b == NOT || b >= SUM, line);
            }
            Expr::Unary(UnaryOp::Neg, operand) => {
                line.push(text("-"));
                self.operand(operand, |b| b >= NEGATION, line);
            }
            Expr::Binary(op, left, right) => {
                // `and` within `or` (and the reverse) is always in
                // parentheses: a reader need not know which binds tighter.
                let (left_ok, right_ok): (Fits, Fits) = match op {
                    BinaryOp::Or => (|b| b == OR || b >= NOT, |b| b >= NOT),
                    BinaryOp::And => (|b| b >= AND && b != OR, |b| b >= NOT),
                    BinaryOp::Add | BinaryOp::Sub => (|b| b >= SUM, |b| b >= PRODUCT),
                    BinaryOp::Mul | BinaryOp::Div => (|b| b >= PRODUCT, |b| b >= NEGATION),
                    BinaryOp::Pow => (|b| b >= ATOM, |b| b >= NEGATION),
                    _ => (|b| b >= SUM, |b| b >= SUM),
                };
                self.operand(left, left_ok, line);
                line.push(text(operator(*op, literal(left) || literal(right))));
                self.operand(right, right_ok, line);
            }
            Expr::If(condition, then, otherwise) => {
                self.call("if", [&**condition, then, otherwise], line)
            }
            Expr::Call(function, args) => {
                let name = (Function::ALL.iter())
                    .find(|(f, _)| f == function)
                    .map_or("", |(_, name)| *name);
                self.call(name, args.iter(), line)
            }
        }
    }

    /// Writes `expr` as an operand, in parentheses unless `fits` accepts
    /// how tightly it binds.
    fn operand(&self, expr: &Expr, fits: impl Fn(u8) -> bool, line: &mut Line) {
        if !fits(self.binding(expr)) {
            line.push(text("("));
            self.write(expr, line);
            line.push(text(")"));
        } else {
            self.write(expr, line);
        }
    }

    fn call<'e>(&self, name: &str, args: impl IntoIterator<Item = &'e Expr>, line: &mut Line) {
        line.push(text(format!("{name}(")));
        for (i, arg) in args.into_iter().enumerate() {
            if i > 0 {
                line.push(text(", "));
            }
            self.write(arg, line);
        }
        line.push(text(")"));
    }
}

/// How tightly a binary operator binds.
fn binding(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => OR,
        BinaryOp::And => AND,
        BinaryOp::Add | BinaryOp::Sub => SUM,
        BinaryOp::Mul | BinaryOp::Div => PRODUCT,
        BinaryOp::Pow => POWER,
        _ => COMPARE,
    }
}

/// A state or `true`/`false`: compared with one, `==` reads "is".
fn literal(expr: &Expr) -> bool {
    matches!(expr, Expr::State(_) | Expr::Boolean(_))
}

/// A binary operator in words, with its spaces.
fn operator(op: BinaryOp, with_literal: bool) -> &'static str {
    match op {
        BinaryOp::Or => " or ",
        BinaryOp::And => " and ",
        BinaryOp::Eq if with_literal => " is ",
        BinaryOp::Ne if with_literal => " is not ",
        BinaryOp::Eq => " = ",
        BinaryOp::Ne => " ≠ ",
        BinaryOp::Lt => " < ",
        BinaryOp::Le => " ≤ ",
        BinaryOp::Gt => " > ",
        BinaryOp::Ge => " ≥ ",
        BinaryOp::Add => " + ",
        BinaryOp::Sub => " - ",
        BinaryOp::Mul => " * ",
        BinaryOp::Div => " / ",
        BinaryOp::Pow => "^",
    }
}

/// The line with neighbouring plain texts joined into one piece (the same
/// text, fewer pieces).
fn merge(line: Line) -> Line {
    let mut merged: Line = Vec::with_capacity(line.len());
    for piece in line {
        match (merged.last_mut(), piece) {
            (Some(Inline::Text(last)), Inline::Text(next)) => last.push_str(&next),
            (_, piece) => merged.push(piece),
        }
    }
    merged
}

#[cfg(test)]
#[path = "reading_tests.rs"]
mod tests;
