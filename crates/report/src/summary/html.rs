//! `summary.html`: the document as one self-contained HTML file, to open in
//! a browser or send as an attachment. The charts are inlined as base64
//! `data:` URIs and the style sheet is inline; the page refers to nothing
//! outside itself, and its Content-Security-Policy forbids it to (no script,
//! no fetch, images only from `data:`), as a second wall behind the
//! escaping of every piece of text.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::escape;
use super::{Block, Document, Inline};
use crate::ReportError;

/// A chart's file name is safe to put in a link or attribute as it is:
/// letters, digits, `_`, `-` and `.` only, not starting with a dot.
pub fn is_safe_file_name(file: &str) -> bool {
    !file.is_empty()
        && !file.starts_with('.')
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:75rem;margin:2rem auto;padding:0 1rem;color:#1f1f1f;line-height:1.45}\
h1{font-size:1.9rem;margin-bottom:.3rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}\
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}th,td{border:1px solid #ddd;padding:.25rem .55rem;text-align:left;vertical-align:top}\
th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em}\
pre{background:#f3f3f3;padding:.6rem .8rem;overflow-x:auto}blockquote{margin:.6rem 0;padding:.2rem .9rem;border-left:4px solid #ccc;color:#333}\
img{max-width:100%;height:auto;border:1px solid #eee}";

/// The document as HTML; `image` returns the bytes of a chart's PNG file.
pub fn render(
    document: &Document,
    mut image: impl FnMut(&str) -> Result<Vec<u8>, ReportError>,
) -> Result<String, ReportError> {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{}</title>\n",
        escape::html(&document.title)
    ));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    for block in &document.blocks {
        match block {
            Block::Heading(level, title) => {
                let level = (*level).clamp(1, 6);
                out.push_str(&format!("<h{level}>{}</h{level}>\n", escape::html(title)));
            }
            Block::Paragraph(line) => out.push_str(&format!("<p>{}</p>\n", inline(line))),
            Block::Quote(line) => {
                out.push_str(&format!("<blockquote>{}</blockquote>\n", inline(line)))
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", inline(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { header, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for cell in header {
                    out.push_str(&format!("<th>{}</th>", escape::html(cell)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        out.push_str(&format!("<td>{}</td>", inline(cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Image { file, alt } => {
                if !is_safe_file_name(file) {
                    continue;
                }
                let bytes = image(file)?;
                out.push_str(&format!(
                    "<figure><img alt=\"{}\" src=\"data:image/png;base64,{}\"></figure>\n",
                    escape::html(alt),
                    STANDARD.encode(bytes)
                ));
            }
            Block::Code(command) => {
                out.push_str(&format!(
                    "<pre><code>{}</code></pre>\n",
                    escape::html(command)
                ));
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

fn inline(line: &[Inline]) -> String {
    line.iter()
        .map(|piece| match piece {
            Inline::Text(text) => escape::html(text),
            Inline::Strong(text) => format!("<strong>{}</strong>", escape::html(text)),
            Inline::Code(text) => format!("<code>{}</code>", escape::html(text)),
            Inline::File(file) if is_safe_file_name(file) => {
                format!("<a href=\"{file}\"><code>{file}</code></a>")
            }
            Inline::File(file) => format!("<code>{}</code>", escape::html(file)),
        })
        .collect()
}
