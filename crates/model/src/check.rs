//! Name resolution and type checking: an [`Ast`] in, a typed [`Expr`] out.
//!
//! The checker works against a [`Scope`]: the names that an expression may
//! mention, their types, and the states of every categorical node. The loader
//! builds one from the file (filling in derived nodes' types as it checks them
//! in topological order); `compile_expression` builds one from a loaded model.
//! It keeps going after an error, giving the failed part the type
//! [`Ty::Error`] that every later rule accepts silently, so that one mistake
//! yields one message.

use std::collections::HashMap;

use crate::ExprError;
use crate::ir::{BinaryOp, Expr, Function, NodeId, Ref, Span, StateId, Type, UnaryOp};
use crate::parser::{Ast, AstKind};
use crate::suggest;

/// The static type of an expression while checking.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// A state of one of these categorical nodes (more than one after an
    /// `if` whose branches are different nodes).
    State(Vec<NodeId>),
    /// The type of something already reported as wrong.
    Error,
}

impl Ty {
    /// The public type (`Error` never reaches a caller).
    pub fn public(&self) -> Type {
        match self {
            Ty::Number | Ty::Error => Type::Number,
            Ty::Boolean => Type::Boolean,
            Ty::State(_) => Type::State,
        }
    }
}

/// Everything an expression can name.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Params, nodes and outcomes by name.
    pub names: HashMap<String, Ref>,
    /// Param names by id.
    pub params: Vec<String>,
    /// Node names by id.
    pub nodes: Vec<String>,
    /// Outcome names by id.
    pub outcomes: Vec<String>,
    /// Node types by id; `None` while a derived node is not checked yet.
    pub node_types: Vec<Option<Ty>>,
    /// Outcome types by id.
    pub outcome_types: Vec<Ty>,
    /// The states of each node (empty unless categorical).
    pub node_states: Vec<Vec<StateId>>,
    /// Interned state names.
    pub state_names: Vec<String>,
    /// State ids by name.
    pub state_ids: HashMap<String, StateId>,
}

impl Scope {
    fn describe(&self, ty: &Ty) -> String {
        match ty {
            Ty::Number => "a number".to_string(),
            Ty::Boolean => "a boolean".to_string(),
            Ty::State(nodes) => format!("a state of {}", self.node_list(nodes)),
            Ty::Error => "an invalid value".to_string(),
        }
    }

    fn node_list(&self, nodes: &[NodeId]) -> String {
        nodes
            .iter()
            .map(|&n| format!("`{}`", self.nodes[n]))
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// Describes a type for messages (`a number`, `a state of `leader``).
pub fn describe(scope: &Scope, ty: &Ty) -> String {
    scope.describe(ty)
}

/// Resolves and type-checks `ast` (parsed from `text`). Outcomes may be named
/// only when `allow_outcomes`. Returns every error found.
pub fn check(
    scope: &Scope,
    text: &str,
    ast: &Ast,
    allow_outcomes: bool,
) -> Result<(Expr, Ty), Vec<ExprError>> {
    let mut checker = Checker {
        scope,
        text,
        allow_outcomes,
        errors: Vec::new(),
    };
    let (expr, ty) = checker.expr(ast);
    if checker.errors.is_empty() {
        Ok((expr, ty))
    } else {
        Err(checker.errors)
    }
}

/// The function named `name`, `if` excluded.
pub fn function(name: &str) -> Option<Function> {
    Function::ALL
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(f, _)| *f)
}

fn function_names() -> impl Iterator<Item = &'static str> {
    std::iter::once("if").chain(Function::ALL.iter().map(|(_, name)| *name))
}

fn op_text(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Pow => "^",
        BinaryOp::Eq => "==",
        BinaryOp::Ne => "!=",
        BinaryOp::Lt => "<",
        BinaryOp::Le => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::Ge => ">=",
        BinaryOp::And => "and",
        BinaryOp::Or => "or",
    }
}

/// Where two operands must agree in type.
#[derive(Clone, Copy)]
enum Pair {
    /// `==` or `!=`.
    Compare(&'static str),
    /// The branches of `if`.
    Branches,
}

struct Checker<'a> {
    scope: &'a Scope,
    text: &'a str,
    allow_outcomes: bool,
    errors: Vec<ExprError>,
}

/// What stands in for an expression that failed to check.
const POISON: Expr = Expr::Number(f64::NAN);

impl Checker<'_> {
    fn error(&mut self, span: Span, message: String, hint: Option<String>) {
        self.errors.push(ExprError {
            message,
            span,
            hint,
        });
    }

    fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn expr(&mut self, ast: &Ast) -> (Expr, Ty) {
        match &ast.kind {
            AstKind::Number(x) => (Expr::Number(*x), Ty::Number),
            AstKind::Boolean(b) => (Expr::Boolean(*b), Ty::Boolean),
            AstKind::State(state) => {
                self.error(
                    ast.span,
                    format!("the state literal '{state}' must be compared with a categorical node"),
                    Some(format!("write `node == '{state}'`")),
                );
                (POISON, Ty::Error)
            }
            AstKind::Name(name) => self.name(name, ast.span),
            AstKind::Unary(UnaryOp::Neg, operand) => {
                let (inner, ty) = self.expr(operand);
                self.require_number(&ty, operand, "unary `-`", None);
                (Expr::Unary(UnaryOp::Neg, Box::new(inner)), Ty::Number)
            }
            AstKind::Unary(UnaryOp::Not, operand) => {
                let (inner, ty) = self.expr(operand);
                self.require_boolean(&ty, operand, "`not`");
                (Expr::Unary(UnaryOp::Not, Box::new(inner)), Ty::Boolean)
            }
            AstKind::Binary(op, op_span, left, right) => self.binary(*op, *op_span, left, right),
            AstKind::Call {
                name,
                name_span,
                args,
            } => self.call(name, *name_span, args, ast.span),
        }
    }

    fn name(&mut self, name: &str, span: Span) -> (Expr, Ty) {
        if let Some(&r) = self.scope.names.get(name) {
            let ty = match r {
                Ref::Param(_) => Ty::Number,
                // A node whose type is not known yet sits on a cycle, which
                // is reported on its own.
                Ref::Node(n) => self.scope.node_types[n].clone().unwrap_or(Ty::Error),
                Ref::Outcome(o) => {
                    if !self.allow_outcomes {
                        self.error(
                            span,
                            format!("`{name}` is an outcome, and outcomes cannot be named here"),
                            Some("nodes are drawn before outcomes are computed: name the nodes and params it is built from".to_string()),
                        );
                        return (POISON, Ty::Error);
                    }
                    self.scope.outcome_types[o].clone()
                }
            };
            return (Expr::Ref(r), ty);
        }
        if function(name).is_some() {
            self.error(
                span,
                format!("`{name}` is a function"),
                Some(format!("call it: {name}(...)")),
            );
            return (POISON, Ty::Error);
        }
        let scope = self.scope;
        let allow_outcomes = self.allow_outcomes;
        let candidates = scope
            .names
            .iter()
            .filter(|(_, r)| allow_outcomes || !matches!(r, Ref::Outcome(_)))
            .map(|(n, _)| n.as_str());
        let mut sorted: Vec<&str> = candidates.collect();
        sorted.sort_unstable();
        let hint = suggest::close(name, sorted).map(|best| format!("did you mean `{best}`?"));
        let what = if allow_outcomes {
            "param, node or outcome"
        } else {
            "param or node"
        };
        self.error(
            span,
            format!("unknown name `{name}`: no {what} has that name"),
            hint,
        );
        (POISON, Ty::Error)
    }

    /// Reports `ty` unless it is a number. `other` is the other operand of a
    /// product, for the `if(flag, 0.3, 0)` hint.
    fn require_number(&mut self, ty: &Ty, ast: &Ast, what: &str, other: Option<&Ast>) {
        match ty {
            Ty::Number | Ty::Error => {}
            Ty::Boolean => {
                let flag = self.source(ast.span).to_string();
                let hint = match other {
                    Some(other) => format!("write if({flag}, {}, 0)", self.source(other.span)),
                    None => format!("booleans are not numbers: write if({flag}, 1, 0)"),
                };
                self.error(
                    ast.span,
                    format!("{what} takes numbers, but `{flag}` is a boolean"),
                    Some(hint),
                );
            }
            Ty::State(_) => {
                let text = self.source(ast.span).to_string();
                let described = self.scope.describe(ty);
                self.error(
                    ast.span,
                    format!("{what} takes numbers, but `{text}` is {described}"),
                    Some(format!(
                        "states are not numbers: compare it, as in `{text} == 'state'`"
                    )),
                );
            }
        }
    }

    fn require_boolean(&mut self, ty: &Ty, ast: &Ast, what: &str) {
        match ty {
            Ty::Boolean | Ty::Error => {}
            _ => {
                let text = self.source(ast.span).to_string();
                let described = self.scope.describe(ty);
                let hint = match ty {
                    Ty::State(_) => format!("compare it: `{text} == 'state'`"),
                    _ => format!("compare it, as in `{text} > 0`"),
                };
                self.error(
                    ast.span,
                    format!("{what} takes booleans, but `{text}` is {described}"),
                    Some(hint),
                );
            }
        }
    }

    fn binary(&mut self, op: BinaryOp, op_span: Span, left: &Ast, right: &Ast) -> (Expr, Ty) {
        let symbol = op_text(op);
        match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow => {
                let (l, lt) = self.expr(left);
                let (r, rt) = self.expr(right);
                // `0.3 * flag` gets the hint `if(flag, 0.3, 0)`.
                let product = op == BinaryOp::Mul;
                let what = format!("`{symbol}`");
                self.require_number(
                    &lt,
                    left,
                    &what,
                    (product && rt == Ty::Number).then_some(right),
                );
                self.require_number(
                    &rt,
                    right,
                    &what,
                    (product && lt == Ty::Number).then_some(left),
                );
                (Expr::Binary(op, Box::new(l), Box::new(r)), Ty::Number)
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let (l, lt) = self.expr(left);
                let (r, rt) = self.expr(right);
                let what = format!("`{symbol}`");
                self.require_number(&lt, left, &what, None);
                self.require_number(&rt, right, &what, None);
                (Expr::Binary(op, Box::new(l), Box::new(r)), Ty::Boolean)
            }
            BinaryOp::And | BinaryOp::Or => {
                let (l, lt) = self.expr(left);
                let (r, rt) = self.expr(right);
                let what = format!("`{symbol}`");
                self.require_boolean(&lt, left, &what);
                self.require_boolean(&rt, right, &what);
                (Expr::Binary(op, Box::new(l), Box::new(r)), Ty::Boolean)
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let (l, r) = match self.same_type_pair(left, right, Pair::Compare(symbol), op_span)
                {
                    Some((l, r, _)) => (l, r),
                    None => (POISON, POISON),
                };
                (Expr::Binary(op, Box::new(l), Box::new(r)), Ty::Boolean)
            }
        }
    }

    /// Checks two operands that must have one type (`==`, `!=`, `if`
    /// branches), resolving a state literal against the other side. Returns
    /// `None` when an error was reported.
    fn same_type_pair(
        &mut self,
        left: &Ast,
        right: &Ast,
        pair: Pair,
        at: Span,
    ) -> Option<(Expr, Expr, Ty)> {
        match (&left.kind, &right.kind) {
            (AstKind::State(a), AstKind::State(b)) => {
                let span = Span {
                    start: left.span.start,
                    end: right.span.end,
                };
                let message = match pair {
                    Pair::Compare(symbol) => format!(
                        "`{symbol}` between two state literals ('{a}' and '{b}'): one side must be a categorical node"
                    ),
                    Pair::Branches => format!(
                        "both branches of `if` are state literals ('{a}' and '{b}'), so their node is unknown"
                    ),
                };
                self.error(
                    span,
                    message,
                    Some("state literals meet a categorical node: `node == 'state'`".to_string()),
                );
                None
            }
            (AstKind::State(state), _) => {
                let (r, rt) = self.expr(right);
                let l = self.literal_against(state, left.span, &rt, right, pair)?;
                Some((l, r, rt))
            }
            (_, AstKind::State(state)) => {
                let (l, lt) = self.expr(left);
                let r = self.literal_against(state, right.span, &lt, left, pair)?;
                Some((l, r, lt))
            }
            _ => {
                let (l, lt) = self.expr(left);
                let (r, rt) = self.expr(right);
                let ty = match (&lt, &rt) {
                    (Ty::Error, _) | (_, Ty::Error) => return None,
                    (Ty::Number, Ty::Number) => Ty::Number,
                    (Ty::Boolean, Ty::Boolean) => Ty::Boolean,
                    (Ty::State(a), Ty::State(b)) => {
                        let mut nodes = a.clone();
                        nodes.extend(b.iter().filter(|n| !a.contains(n)));
                        Ty::State(nodes)
                    }
                    _ => {
                        let hint = if matches!(
                            (&lt, &rt),
                            (Ty::Boolean, Ty::Number) | (Ty::Number, Ty::Boolean)
                        ) {
                            Some("booleans are not numbers: turn one into the other with if(flag, 1, 0) or x > 0".to_string())
                        } else {
                            None
                        };
                        let what = match pair {
                            Pair::Compare(symbol) => {
                                format!("`{symbol}` needs operands of one type")
                            }
                            Pair::Branches => "the branches of `if` need one type".to_string(),
                        };
                        let message = format!(
                            "{what}, but `{}` is {} and `{}` is {}",
                            self.source(left.span),
                            self.scope.describe(&lt),
                            self.source(right.span),
                            self.scope.describe(&rt)
                        );
                        self.error(at, message, hint);
                        return None;
                    }
                };
                Some((l, r, ty))
            }
        }
    }

    /// Checks the state literal `state` against `other` (already checked, of
    /// type `ty`), which must be state-valued.
    fn literal_against(
        &mut self,
        state: &str,
        span: Span,
        ty: &Ty,
        other: &Ast,
        pair: Pair,
    ) -> Option<Expr> {
        let nodes = match ty {
            Ty::Error => return None,
            Ty::State(nodes) => nodes,
            _ => {
                let other_text = self.source(other.span);
                let described = self.scope.describe(ty);
                let message = match pair {
                    Pair::Compare(symbol) => format!(
                        "`{symbol}` compares the state '{state}' with `{other_text}`, which is {described}, not a categorical node"
                    ),
                    Pair::Branches => format!(
                        "the branches of `if` need one type, but '{state}' is a state and `{other_text}` is {described}"
                    ),
                };
                self.error(
                    span,
                    message,
                    Some(
                        "state literals are compared with categorical nodes: `node == 'state'`"
                            .to_string(),
                    ),
                );
                return None;
            }
        };
        let scope = self.scope;
        let id = scope.state_ids.get(state).copied();
        if let Some(id) = id
            && nodes.iter().any(|&n| scope.node_states[n].contains(&id))
        {
            return Some(Expr::State(id));
        }
        let mut candidates: Vec<&str> = Vec::new();
        for &n in nodes {
            for s in &scope.node_states[n] {
                let name = scope.state_names[s.0 as usize].as_str();
                if !candidates.contains(&name) {
                    candidates.push(name);
                }
            }
        }
        let listed = candidates
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = match suggest::nearest(state, candidates.iter().copied()) {
            Some(best) => format!("did you mean '{best}'? the states are {listed}"),
            None => format!("the states are {listed}"),
        };
        let message = format!("'{state}' is not a state of {}", scope.node_list(nodes));
        self.error(span, message, Some(hint));
        None
    }

    fn call(&mut self, name: &str, name_span: Span, args: &[Ast], span: Span) -> (Expr, Ty) {
        if name == "if" {
            return self.if_call(args, span);
        }
        let Some(f) = function(name) else {
            let message = if self.scope.names.contains_key(name) {
                format!("`{name}` is not a function")
            } else {
                format!("unknown function `{name}`")
            };
            let hint = match suggest::close(name, function_names()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "the functions are {}",
                    suggest::list(&function_names().collect::<Vec<_>>())
                ),
            };
            self.error(name_span, message, Some(hint));
            for arg in args {
                self.expr(arg);
            }
            return (POISON, Ty::Error);
        };
        let arity_ok = match f {
            Function::Min | Function::Max => args.len() >= 2,
            Function::Clamp => args.len() == 3,
            _ => args.len() == 1,
        };
        if !arity_ok {
            let wanted = match f {
                Function::Min | Function::Max => "at least 2 arguments",
                Function::Clamp => "3 arguments: clamp(x, lo, hi)",
                _ => "1 argument",
            };
            self.error(
                span,
                format!("`{name}` takes {wanted}, found {}", args.len()),
                None,
            );
        }
        let mut lowered = Vec::with_capacity(args.len());
        for arg in args {
            let (e, ty) = self.expr(arg);
            self.require_number(&ty, arg, &format!("`{name}`"), None);
            lowered.push(e);
        }
        (Expr::Call(f, lowered), Ty::Number)
    }

    fn if_call(&mut self, args: &[Ast], span: Span) -> (Expr, Ty) {
        let [condition, then, otherwise] = args else {
            self.error(
                span,
                format!(
                    "`if` takes 3 arguments: if(condition, then, else), found {}",
                    args.len()
                ),
                None,
            );
            for arg in args {
                self.expr(arg);
            }
            return (POISON, Ty::Error);
        };
        let (c, ct) = self.expr(condition);
        self.require_boolean(&ct, condition, "the condition of `if`");
        match self.same_type_pair(then, otherwise, Pair::Branches, span) {
            Some((a, b, ty)) => (Expr::If(Box::new(c), Box::new(a), Box::new(b)), ty),
            None => (POISON, Ty::Error),
        }
    }
}
