//! `summary.bbcode`: the document in forum BBCode, ready to paste: `[b]`,
//! `[table]`/`[tr]`/`[td]`, `[list]`, `[quote]`, `[code]`, and an `[img]`
//! line per chart naming its PNG file (upload the files, then put their
//! addresses in place of the names). Only these tags are ever written;
//! every `[` and `]` of the text itself is neutralised (see [`escape`]).

use super::escape;
use super::{Block, Document, Inline};

/// The document as BBCode.
pub fn render(document: &Document) -> String {
    let mut out = String::new();
    let mut images_explained = false;
    for block in &document.blocks {
        match block {
            Block::Heading(1, title) => {
                out.push_str(&format!(
                    "[size=150][b]{}[/b][/size]\n\n",
                    escape::bbcode(title)
                ));
            }
            Block::Heading(_, title) => {
                out.push_str(&format!("[b]{}[/b]\n\n", escape::bbcode(title)))
            }
            Block::Paragraph(line) => out.push_str(&format!("{}\n\n", inline(line))),
            Block::Quote(line) => out.push_str(&format!("[quote]{}[/quote]\n\n", inline(line))),
            Block::List(items) => {
                out.push_str("[list]\n");
                for item in items {
                    out.push_str(&format!("[*]{}\n", inline(item)));
                }
                out.push_str("[/list]\n\n");
            }
            Block::Table { header, rows } => {
                out.push_str("[table]\n[tr]");
                for cell in header {
                    if cell.is_empty() {
                        out.push_str("[td][/td]");
                    } else {
                        out.push_str(&format!("[td][b]{}[/b][/td]", escape::bbcode(cell)));
                    }
                }
                out.push_str("[/tr]\n");
                for row in rows {
                    out.push_str("[tr]");
                    for cell in row {
                        out.push_str(&format!("[td]{}[/td]", inline(cell)));
                    }
                    out.push_str("[/tr]\n");
                }
                out.push_str("[/table]\n\n");
            }
            Block::Image { file, .. } => {
                if !super::html::is_safe_file_name(file) {
                    continue;
                }
                if !images_explained {
                    out.push_str("Charts: upload the PNG files of the report folder, then replace each file name between the img tags below with the address of the uploaded image.\n\n");
                    images_explained = true;
                }
                out.push_str(&format!("[img]{file}[/img]\n\n"));
            }
            Block::Code(command) => {
                out.push_str(&format!("[code]{}[/code]\n\n", escape::bbcode(command)))
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn inline(line: &[Inline]) -> String {
    line.iter()
        .map(|piece| match piece {
            Inline::Text(text) | Inline::Code(text) | Inline::File(text) => escape::bbcode(text),
            Inline::Strong(text) => format!("[b]{}[/b]", escape::bbcode(text)),
        })
        .collect()
}
