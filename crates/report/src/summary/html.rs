//! `summary.html`: the document as one HTML file, to open in a browser. By
//! default the charts are linked: `<img src="outcomes.png">`, the PNG file
//! beside it in the report folder, so the page stays small. Standalone
//! (`--standalone`), they are inlined as base64 `data:` URIs, to send the
//! page alone as an attachment. The style sheet is inline; the page refers
//! to nothing but its own folder's charts, and its Content-Security-Policy
//! forbids anything else (no script, no fetch, images only from the page's
//! own place or `data:`), as a second wall behind the escaping of every
//! piece of text.

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

/// How the page shows its charts.
pub enum Charts<F: FnMut(&str) -> Result<Vec<u8>, ReportError>> {
    /// Linked by file name: the PNG files beside the page.
    Linked,
    /// Inlined: the function returns the bytes of a chart's PNG file.
    Inlined(F),
}

/// The document as HTML, its charts linked or inlined.
pub fn render<F: FnMut(&str) -> Result<Vec<u8>, ReportError>>(
    document: &Document,
    mut charts: Charts<F>,
) -> Result<String, ReportError> {
    // A linked chart is a file of the page's folder: `file:` for a page
    // opened from disk, 'self' for one served; nothing from elsewhere.
    let images = match charts {
        Charts::Linked => "img-src 'self' file: data:",
        Charts::Inlined(_) => "img-src data:",
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; {images}; style-src 'unsafe-inline'\">\n"));
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
                let src = match &mut charts {
                    Charts::Linked => file.clone(),
                    Charts::Inlined(image) => {
                        format!("data:image/png;base64,{}", STANDARD.encode(image(file)?))
                    }
                };
                out.push_str(&format!(
                    "<figure><img alt=\"{}\" src=\"{src}\"></figure>\n",
                    escape::html(alt),
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

/// A line's pieces, escaped, with `<strong>` and `<code>`.
pub(crate) fn inline(line: &[Inline]) -> String {
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
