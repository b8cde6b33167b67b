//! `summary.md`: the document in CommonMark with GitHub's tables, to read in
//! a text editor, on a code forge or in a notebook. Charts are relative
//! image links to the PNG files beside it.

use super::escape;
use super::{Block, Document, Inline};

/// The document as Markdown.
pub fn render(document: &Document) -> String {
    let mut out = String::new();
    for block in &document.blocks {
        match block {
            Block::Heading(level, title) => {
                let hashes = "#".repeat(usize::from((*level).clamp(1, 6)));
                out.push_str(&format!("{hashes} {}\n\n", escape::markdown(title)));
            }
            Block::Paragraph(line) => out.push_str(&format!("{}\n\n", inline(line))),
            Block::Quote(line) => out.push_str(&format!("> {}\n\n", inline(line))),
            Block::List(items) => {
                for item in items {
                    out.push_str(&format!("- {}\n", inline(item)));
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                let cells: Vec<String> = header
                    .iter()
                    .map(|h| {
                        if h.is_empty() {
                            " ".into()
                        } else {
                            escape::markdown(h)
                        }
                    })
                    .collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
                out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|cell| inline(cell)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                out.push('\n');
            }
            Block::Image { file, alt } => {
                if super::html::is_safe_file_name(file) {
                    out.push_str(&format!("![{}]({file})\n\n", escape::markdown(alt)));
                }
            }
            Block::Code(command) => {
                out.push_str(&escape::markdown_code_block(command));
                out.push_str("\n\n");
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// A line's pieces, each escaped.
fn inline(line: &[Inline]) -> String {
    let mut out = String::new();
    for piece in line {
        match piece {
            Inline::Text(text) => out.push_str(&escape::markdown(text)),
            Inline::Strong(text) if text.trim().is_empty() => out.push_str(&escape::markdown(text)),
            Inline::Strong(text) => out.push_str(&format!("**{}**", escape::markdown(text))),
            Inline::Code(text) => out.push_str(&escape::markdown_code(text)),
            Inline::File(file) if super::html::is_safe_file_name(file) => {
                out.push_str(&format!("[`{file}`]({file})"))
            }
            Inline::File(file) => out.push_str(&escape::markdown_code(file)),
        }
    }
    if out.is_empty() { " ".into() } else { out }
}
