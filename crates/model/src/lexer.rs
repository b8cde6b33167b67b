//! Tokens of the expression language. The lexer works on the expression's own
//! text; spans are byte offsets into it, which the loader shifts to the model
//! file's offsets when the TOML string allows.

use crate::ExprError;
use crate::ir::Span;

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub enum Token {
    /// A number literal.
    Number(f64),
    /// A name or keyword (`and`, `or`, `not`, `true`, `false`, `if`, functions).
    Ident(String),
    /// A state literal: the text between single quotes.
    State(String),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `^`
    Caret,
    /// `==`
    EqEq,
    /// `!=`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// The end of the text.
    End,
}

impl Token {
    /// How the token reads in a message.
    pub fn describe(&self) -> String {
        match self {
            Token::Number(_) => "a number".to_string(),
            Token::Ident(name) => format!("`{name}`"),
            Token::State(state) => format!("'{state}'"),
            Token::LParen => "`(`".to_string(),
            Token::RParen => "`)`".to_string(),
            Token::Comma => "`,`".to_string(),
            Token::Plus => "`+`".to_string(),
            Token::Minus => "`-`".to_string(),
            Token::Star => "`*`".to_string(),
            Token::Slash => "`/`".to_string(),
            Token::Caret => "`^`".to_string(),
            Token::EqEq => "`==`".to_string(),
            Token::NotEq => "`!=`".to_string(),
            Token::Lt => "`<`".to_string(),
            Token::Le => "`<=`".to_string(),
            Token::Gt => "`>`".to_string(),
            Token::Ge => "`>=`".to_string(),
            Token::End => "the end of the expression".to_string(),
        }
    }
}

fn error(start: usize, end: usize, message: String, hint: Option<&str>) -> ExprError {
    ExprError {
        message,
        span: Span { start, end },
        hint: hint.map(str::to_string),
    }
}

/// Splits `text` into tokens, ending with [`Token::End`].
pub fn lex(text: &str) -> Result<Vec<(Token, Span)>, ExprError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let token = if c.is_ascii_digit()
            || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i = number_end(bytes, i);
            let lexeme = &text[start..i];
            let value: f64 = lexeme
                .parse()
                .map_err(|_| error(start, i, format!("malformed number `{lexeme}`"), None))?;
            if !value.is_finite() {
                return Err(error(
                    start,
                    i,
                    format!("number `{lexeme}` is too large"),
                    None,
                ));
            }
            Token::Number(value)
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            Token::Ident(text[start..i].to_string())
        } else if c == b'\'' {
            let Some(len) = text[i + 1..].find('\'') else {
                return Err(error(
                    start,
                    text.len(),
                    "unterminated state literal".to_string(),
                    Some("close it with a single quote: 'state'"),
                ));
            };
            i += len + 2;
            Token::State(text[start + 1..i - 1].to_string())
        } else {
            let next = bytes.get(i + 1).copied();
            let (token, len) = match (c, next) {
                (b'=', Some(b'=')) => (Token::EqEq, 2),
                (b'!', Some(b'=')) => (Token::NotEq, 2),
                (b'<', Some(b'=')) => (Token::Le, 2),
                (b'>', Some(b'=')) => (Token::Ge, 2),
                (b'<', _) => (Token::Lt, 1),
                (b'>', _) => (Token::Gt, 1),
                (b'(', _) => (Token::LParen, 1),
                (b')', _) => (Token::RParen, 1),
                (b',', _) => (Token::Comma, 1),
                (b'+', _) => (Token::Plus, 1),
                (b'-', _) => (Token::Minus, 1),
                (b'*', _) => (Token::Star, 1),
                (b'/', _) => (Token::Slash, 1),
                (b'^', _) => (Token::Caret, 1),
                _ => return Err(unexpected_character(text, i)),
            };
            i += len;
            token
        };
        tokens.push((token, Span { start, end: i }));
    }
    tokens.push((
        Token::End,
        Span {
            start: text.len(),
            end: text.len(),
        },
    ));
    Ok(tokens)
}

/// The end of the number literal starting at `i`: digits, an optional
/// fraction (`5.` and `.5` included) and an optional exponent.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        // A malformed exponent (`1e`, `2e+`) is taken whole so that the
        // error names it rather than an unknown name `e`.
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        i = j;
    }
    i
}

fn unexpected_character(text: &str, i: usize) -> ExprError {
    let c = text[i..].chars().next().unwrap_or(' ');
    let end = i + c.len_utf8();
    let next = text[end..].chars().next();
    let hint = match (c, next) {
        ('=', _) => Some("write `==` to compare"),
        ('&', _) => Some("write `and`"),
        ('|', _) => Some("write `or`"),
        ('!', _) => Some("write `not` to negate, or `!=` to compare"),
        ('"', _) => Some("state literals take single quotes: 'state'"),
        ('%', _) => Some("write percentages as fractions: 0.25, not 25%"),
        _ => None,
    };
    error(i, end, format!("unexpected character `{c}`"), hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Token> {
        lex(text).unwrap().into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn numbers_in_every_spelling() {
        for (text, value) in [
            ("1", 1.0),
            ("0.25", 0.25),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e-3", 1e-3),
            ("2.5E+3", 2500.0),
        ] {
            assert_eq!(
                kinds(text),
                vec![Token::Number(value), Token::End],
                "{text}"
            );
        }
    }

    #[test]
    fn malformed_exponent_is_one_error() {
        let err = lex("1e+").unwrap_err();
        assert_eq!(err.message, "malformed number `1e+`");
    }

    #[test]
    fn operators_and_states() {
        assert_eq!(
            kinds("a<=b!='x'"),
            vec![
                Token::Ident("a".into()),
                Token::Le,
                Token::Ident("b".into()),
                Token::NotEq,
                Token::State("x".into()),
                Token::End
            ]
        );
    }

    #[test]
    fn non_ascii_is_an_error_not_a_panic() {
        let err = lex("a × b").unwrap_err();
        assert_eq!(err.message, "unexpected character `×`");
        assert_eq!(err.span, Span { start: 2, end: 4 });
    }
}
