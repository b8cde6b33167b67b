//! The expression parser: recursive descent over the grammar below, loosest
//! binding first, producing an AST with byte spans into the expression text.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?     -- never chained
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | power
//! power   := primary ("^" unary)?     -- right-associative; 2^-1 allowed
//! primary := number | "true" | "false" | 'state' | name | name "(" args ")" | "(" expr ")"
//! ```
//!
//! Two limits keep every later recursive walk shallow, so that hostile input
//! gets an error instead of a stack overflow: at most [`MAX_NESTING`] levels of
//! parentheses, calls, `not`, unary minus and `^`, and an AST at most
//! [`MAX_HEIGHT`] operations deep (long chains like `a + b + c + ...`).

use crate::ExprError;
use crate::ir::{BinaryOp, Span, UnaryOp};
use crate::lexer::{Token, lex};

/// Most levels of nesting (parentheses, function calls, `not`, unary minus, `^`).
pub const MAX_NESTING: usize = 64;
/// Most operations on any path from the root of an expression to a leaf.
pub const MAX_HEIGHT: usize = 256;

/// Words that cannot name anything: operators, literals, `if` and the functions.
pub const KEYWORDS: [&str; 6] = ["and", "or", "not", "true", "false", "if"];

/// A parsed, untyped expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    /// What it is.
    pub kind: AstKind,
    /// Its text, as byte offsets into the expression.
    pub span: Span,
    /// Operations on the longest path to a leaf (a leaf has height 1).
    pub height: usize,
}

/// The kinds of AST node.
#[derive(Clone, Debug, PartialEq)]
pub enum AstKind {
    /// A number literal.
    Number(f64),
    /// `true` or `false`.
    Boolean(bool),
    /// A state literal `'name'`.
    State(String),
    /// A name.
    Name(String),
    /// `-x` or `not x`.
    Unary(UnaryOp, Box<Ast>),
    /// `a op b`; the span of the operator is kept for messages.
    Binary(BinaryOp, Span, Box<Ast>, Box<Ast>),
    /// `name(args)`, `if` included.
    Call {
        /// The function's name.
        name: String,
        /// Where the name is.
        name_span: Span,
        /// The arguments.
        args: Vec<Ast>,
    },
}

impl Ast {
    /// Calls `visit` on every name in source order (for finding parents).
    pub fn for_each_name<'a>(&'a self, visit: &mut impl FnMut(&'a str)) {
        match &self.kind {
            AstKind::Name(name) => visit(name),
            AstKind::Unary(_, operand) => operand.for_each_name(visit),
            AstKind::Binary(_, _, left, right) => {
                left.for_each_name(visit);
                right.for_each_name(visit);
            }
            AstKind::Call { args, .. } => args.iter().for_each(|arg| arg.for_each_name(visit)),
            AstKind::Number(_) | AstKind::Boolean(_) | AstKind::State(_) => {}
        }
    }
}

impl Ast {
    /// Where `name` is first mentioned, in source order (for pointing at a
    /// reference, such as the one that closes a cycle).
    pub fn name_span(&self, wanted: &str) -> Option<Span> {
        match &self.kind {
            AstKind::Name(name) => (name == wanted).then_some(self.span),
            AstKind::Unary(_, operand) => operand.name_span(wanted),
            AstKind::Binary(_, _, left, right) => {
                left.name_span(wanted).or_else(|| right.name_span(wanted))
            }
            AstKind::Call { args, .. } => args.iter().find_map(|arg| arg.name_span(wanted)),
            AstKind::Number(_) | AstKind::Boolean(_) | AstKind::State(_) => None,
        }
    }
}

/// Parses one expression.
pub fn parse(text: &str) -> Result<Ast, ExprError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens,
        position: 0,
        depth: 0,
    };
    if parser.peek() == &Token::End {
        return Err(ExprError {
            message: "empty expression".to_string(),
            span: Span {
                start: 0,
                end: text.len(),
            },
            hint: None,
        });
    }
    let ast = parser.expr()?;
    match parser.peek() {
        Token::End => Ok(ast),
        token => {
            let hint = match token {
                Token::RParen => "this `)` has no matching `(`",
                Token::EqEq | Token::NotEq | Token::Lt | Token::Le | Token::Gt | Token::Ge => {
                    "comparisons cannot be chained: write `a < b and b < c`"
                }
                _ => "an operator is missing before it",
            };
            Err(parser.error_here(
                format!(
                    "unexpected {} after a complete expression",
                    token.describe()
                ),
                Some(hint),
            ))
        }
    }
}

struct Parser {
    tokens: Vec<(Token, Span)>,
    position: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.position].0
    }

    fn span(&self) -> Span {
        self.tokens[self.position].1
    }

    fn advance(&mut self) -> (Token, Span) {
        let token = self.tokens[self.position].clone();
        if self.position + 1 < self.tokens.len() {
            self.position += 1;
        }
        token
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Token::Ident(name) if name == word)
    }

    fn error_here(&self, message: String, hint: Option<&str>) -> ExprError {
        ExprError {
            message,
            span: self.span(),
            hint: hint.map(str::to_string),
        }
    }

    /// Enters one level of nesting, refusing past [`MAX_NESTING`].
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_here(
                format!("expression nested too deeply (more than {MAX_NESTING} levels)"),
                Some("split it into derived nodes (`value = ...`)"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn make(kind: AstKind, span: Span, height: usize) -> Result<Ast, ExprError> {
        if height > MAX_HEIGHT {
            return Err(ExprError {
                message: format!("expression too deep (more than {MAX_HEIGHT} nested operations)"),
                span,
                hint: Some("split it into derived nodes (`value = ...`)".to_string()),
            });
        }
        Ok(Ast { kind, span, height })
    }

    fn binary(op: BinaryOp, op_span: Span, left: Ast, right: Ast) -> Result<Ast, ExprError> {
        let span = Span {
            start: left.span.start,
            end: right.span.end,
        };
        let height = left.height.max(right.height) + 1;
        Self::make(
            AstKind::Binary(op, op_span, Box::new(left), Box::new(right)),
            span,
            height,
        )
    }

    fn expr(&mut self) -> Result<Ast, ExprError> {
        self.or()
    }

    fn or(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            let (_, op_span) = self.advance();
            let right = self.and()?;
            left = Self::binary(BinaryOp::Or, op_span, left, right)?;
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.not()?;
        while self.is_word("and") {
            let (_, op_span) = self.advance();
            let right = self.not()?;
            left = Self::binary(BinaryOp::And, op_span, left, right)?;
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Ast, ExprError> {
        if !self.is_word("not") {
            return self.compare();
        }
        let (_, op_span) = self.advance();
        self.enter()?;
        let operand = self.not()?;
        self.leave();
        let span = Span {
            start: op_span.start,
            end: operand.span.end,
        };
        let height = operand.height + 1;
        Self::make(
            AstKind::Unary(UnaryOp::Not, Box::new(operand)),
            span,
            height,
        )
    }

    fn compare(&mut self) -> Result<Ast, ExprError> {
        let left = self.sum()?;
        let Some(op) = comparison(self.peek()) else {
            return Ok(left);
        };
        let (_, op_span) = self.advance();
        let right = self.sum()?;
        if comparison(self.peek()).is_some() {
            return Err(self.error_here(
                "comparisons cannot be chained".to_string(),
                Some("write `a < b and b < c`"),
            ));
        }
        Self::binary(op, op_span, left, right)
    }

    fn sum(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek() {
                Token::Plus => BinaryOp::Add,
                Token::Minus => BinaryOp::Sub,
                _ => return Ok(left),
            };
            let (_, op_span) = self.advance();
            let right = self.product()?;
            left = Self::binary(op, op_span, left, right)?;
        }
    }

    fn product(&mut self) -> Result<Ast, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Token::Star => BinaryOp::Mul,
                Token::Slash => BinaryOp::Div,
                _ => return Ok(left),
            };
            let (_, op_span) = self.advance();
            let right = self.unary()?;
            left = Self::binary(op, op_span, left, right)?;
        }
    }

    fn unary(&mut self) -> Result<Ast, ExprError> {
        if self.peek() != &Token::Minus {
            return self.power();
        }
        let (_, op_span) = self.advance();
        self.enter()?;
        let operand = self.unary()?;
        self.leave();
        let span = Span {
            start: op_span.start,
            end: operand.span.end,
        };
        let height = operand.height + 1;
        Self::make(
            AstKind::Unary(UnaryOp::Neg, Box::new(operand)),
            span,
            height,
        )
    }

    fn power(&mut self) -> Result<Ast, ExprError> {
        let base = self.primary()?;
        if self.peek() != &Token::Caret {
            return Ok(base);
        }
        let (_, op_span) = self.advance();
        self.enter()?;
        // The exponent is a unary: `2^-1` works and `2^3^2` is `2^(3^2)`.
        let exponent = self.unary()?;
        self.leave();
        Self::binary(BinaryOp::Pow, op_span, base, exponent)
    }

    fn primary(&mut self) -> Result<Ast, ExprError> {
        let (token, span) = self.advance();
        match token {
            Token::Number(value) => Self::make(AstKind::Number(value), span, 1),
            Token::State(state) => Self::make(AstKind::State(state), span, 1),
            Token::LParen => {
                self.enter()?;
                let inner = self.expr()?;
                self.leave();
                self.expect_close()?;
                Ok(inner)
            }
            Token::Ident(name) => match name.as_str() {
                "true" => Self::make(AstKind::Boolean(true), span, 1),
                "false" => Self::make(AstKind::Boolean(false), span, 1),
                "and" | "or" | "not" => Err(ExprError {
                    message: format!("expected an operand, found `{name}`"),
                    span,
                    hint: (name == "not")
                        .then(|| "put `not ...` in parentheses: a == (not b)".to_string()),
                }),
                _ if self.peek() == &Token::LParen => self.call(name, span),
                "if" => Err(ExprError {
                    message: "`if` needs its arguments".to_string(),
                    span,
                    hint: Some("write if(condition, then, else)".to_string()),
                }),
                _ => Self::make(AstKind::Name(name), span, 1),
            },
            Token::End => Err(ExprError {
                message: "expected an operand, found the end of the expression".to_string(),
                span,
                hint: None,
            }),
            other => Err(ExprError {
                message: format!("expected an operand, found {}", other.describe()),
                span,
                hint: None,
            }),
        }
    }

    fn call(&mut self, name: String, name_span: Span) -> Result<Ast, ExprError> {
        self.advance();
        self.enter()?;
        let mut args = Vec::new();
        if self.peek() != &Token::RParen {
            loop {
                args.push(self.expr()?);
                if self.peek() != &Token::Comma {
                    break;
                }
                self.advance();
            }
        }
        self.leave();
        let close = self.expect_close()?;
        let span = Span {
            start: name_span.start,
            end: close.end,
        };
        let height = args.iter().map(|arg| arg.height).max().unwrap_or(0) + 1;
        Self::make(
            AstKind::Call {
                name,
                name_span,
                args,
            },
            span,
            height,
        )
    }

    fn expect_close(&mut self) -> Result<Span, ExprError> {
        if self.peek() == &Token::RParen {
            return Ok(self.advance().1);
        }
        let found = self.peek().describe();
        let hint = match self.peek() {
            Token::End => "a `(` is not closed: add the missing `)`",
            _ => "an operator or a `,` may be missing before it",
        };
        Err(self.error_here(format!("expected `)`, found {found}"), Some(hint)))
    }
}

fn comparison(token: &Token) -> Option<BinaryOp> {
    Some(match token {
        Token::EqEq => BinaryOp::Eq,
        Token::NotEq => BinaryOp::Ne,
        Token::Lt => BinaryOp::Lt,
        Token::Le => BinaryOp::Le,
        Token::Gt => BinaryOp::Gt,
        Token::Ge => BinaryOp::Ge,
        _ => return None,
    })
}
