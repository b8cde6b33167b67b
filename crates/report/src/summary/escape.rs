//! Escaping of untrusted text, one function per output format.
//!
//! Everything a model or claims file says (titles, docs, quotes, authors,
//! names) reaches the summaries through these functions only (the
//! [`Document`](super::Document) renderers call them on every piece of
//! text), so a hostile file cannot inject script, links or markup:
//!
//! - **HTML**: `& < > "` become entities, so no tag or attribute can open.
//!   Every attribute the reports write is double-quoted, so `'` cannot end
//!   one and is left as it is (it is in every other sentence of prose).
//! - **Markdown** (CommonMark and GitHub's tables): `<`, `>` and `&` become
//!   entities (no raw HTML, no autolink in angle brackets, no entity trick),
//!   and ``\ ` * _ [ ] # | ! ~ { }`` are escaped with a backslash, so no
//!   link, image, emphasis, code span, heading or table cell break can form.
//!   Parentheses are left as they are: they only matter after a `]`, which
//!   is always escaped, and prose full of `\(` reads badly as raw text.
//! - **BBCode**: `[` and `]` become the full-width lookalikes `［` and `］`
//!   (U+FF3B, U+FF3D). Unlike `[noparse]` or `&#91;`, which many forums do
//!   not understand, these read the same everywhere and can never open a tag.
//!
//! In all three, line breaks, tabs and other control characters become
//! spaces (a line break could end a table row or start a block), and the
//! invisible characters that reorder text (bidirectional overrides) are
//! dropped, so that text cannot be made to read differently from what it is.
//! [`plain`] does only that, for text a page's script sets as text (never
//! as markup), which needs no entities.

/// Control characters become spaces; bidirectional controls are dropped.
fn clean(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter_map(|c| match c {
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => None,
        c if c.is_control() => Some(' '),
        '\u{2028}' | '\u{2029}' => Some(' '),
        c => Some(c),
    })
}

/// Text cleaned as the three formats clean it, but not escaped: for a
/// script that sets it as a node's text (`textContent`), which parses no
/// markup, so that it reads as [`html`]'s would.
pub fn plain(text: &str) -> String {
    clean(text).collect()
}

/// Text for an HTML element's content or a quoted attribute value.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for Markdown: a paragraph, a heading or a table cell.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span of `text` when that is safe (no backtick, no `|`,
/// which would end a table cell even inside a span, nothing to clean), else
/// the escaped text: names read as code, and nothing else can break out.
pub fn markdown_code(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() && !matches!(c, '`' | '|') && clean(&c.to_string()).eq([c]));
    if plain {
        format!("`{text}`")
    } else {
        markdown(text)
    }
}

/// A fenced Markdown code block of `text` (one line): the fence is longer
/// than any run of backticks inside, so the text cannot close it.
pub fn markdown_code_block(text: &str) -> String {
    let line: String = clean(text).collect();
    let longest = line.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}\n{line}\n{fence}")
}

/// Text for BBCode.
pub fn bbcode(text: &str) -> String {
    clean(text)
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_the_four_characters() {
        assert_eq!(
            html(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; 'y')&lt;/script&gt;"
        );
    }

    #[test]
    fn markdown_cannot_form_links_html_or_table_breaks() {
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            r"\[x\](javascript:alert(1))"
        );
        assert_eq!(markdown("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(markdown("a | b\n# c"), r"a \| b \# c");
        assert_eq!(markdown(r"\*"), r"\\\*");
        assert_eq!(markdown_code("trotsky_leads"), "`trotsky_leads`");
        assert_eq!(markdown_code("a`b"), r"a\`b");
        assert_eq!(markdown_code("a|b"), r"a\|b");
        assert_eq!(markdown_code_block("run ``x``"), "```\nrun ``x``\n```");
    }

    #[test]
    fn bbcode_brackets_become_lookalikes() {
        assert_eq!(
            bbcode("[url=http://evil]x[/url]"),
            "［url=http://evil］x［/url］"
        );
    }

    #[test]
    fn controls_become_spaces_and_reordering_marks_vanish() {
        assert_eq!(html("a\nb\tc\u{202e}d"), "a b cd");
        assert_eq!(plain("<a>\nb\u{202e}&"), "<a> b&");
        assert_eq!(markdown("a\r\nb"), "a  b");
    }
}
