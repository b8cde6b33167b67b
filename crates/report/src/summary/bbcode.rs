//! BBCode for forum posts, with only the tags that both XenForo and phpBB
//! render out of the box: `[b]`, `[i]`, `[list]`/`[*]`, `[quote]` and
//! `[code]` (and `[SPOILER=...]`, written by [`super::post`]). Tables are
//! monospaced text inside `[code]`, since stock phpBB has no `[table]`; a
//! table too wide to read keys its columns by number under a legend.
//! Charts are never `[img]` tags (a post cannot point at a file on your
//! disk): each is a caption naming its PNG file, which reads as it is and
//! tells the poster what to attach or host there.
//! Every `[` and `]` of the text itself is neutralised (see [`escape`]).

use super::escape;
use super::{Block, Inline};

/// Above this many characters a table line keys its columns by number.
const WIDE: usize = 100;

/// The blocks as BBCode, each followed by a blank line.
pub fn blocks(blocks: &[Block]) -> String {
    blocks.iter().map(block).collect()
}

/// One block as BBCode, followed by a blank line.
pub fn block(block: &Block) -> String {
    match block {
        Block::Heading(_, title) => format!("[b]{}[/b]\n\n", escape::bbcode(title)),
        Block::Paragraph(line) => format!("{}\n\n", inline(line)),
        Block::Quote(line) => format!("[quote]{}[/quote]\n\n", inline(line)),
        Block::List(items) => {
            let mut out = String::from("[list]\n");
            for item in items {
                out.push_str(&format!("[*]{}\n", inline(item)));
            }
            out.push_str("[/list]\n\n");
            out
        }
        Block::Table { header, rows } => table(header, rows),
        Block::Image { file, alt } if super::html::is_safe_file_name(file) => format!(
            "[i]Chart: {} ({file}).[/i]\n\n",
            escape::bbcode(alt).trim_end_matches('.')
        ),
        Block::Image { .. } => String::new(),
        Block::Code(command) => format!("[code]{}[/code]\n\n", escape::bbcode(command)),
    }
}

/// A table as aligned monospaced text in a `[code]` block: numbers are
/// right-aligned, the first column left-aligned.
fn table(header: &[String], rows: &[Vec<Vec<Inline>>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| plain(cell)).collect())
        .collect();
    let mut header: Vec<String> = header.iter().map(|h| escape::bbcode(h)).collect();
    let mut legend = String::new();
    let width = |header: &[String]| -> usize {
        (0..header.len())
            .map(|i| column_width(header, &rows, i) + 2)
            .sum()
    };
    if header.len() > 2 && width(&header) > WIDE {
        let keys: Vec<String> = (1..header.len()).map(|i| i.to_string()).collect();
        legend = header[1..]
            .iter()
            .zip(&keys)
            .map(|(h, k)| format!("{k} = {h}"))
            .collect::<Vec<_>>()
            .join("; ");
        legend.push('\n');
        header.splice(1.., keys);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|i| column_width(&header, &rows, i))
        .collect();
    let line = |cells: &[String]| -> String {
        let mut out = String::new();
        for (i, (cell, &w)) in cells.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w.saturating_sub(cell.chars().count()));
            if i == 0 {
                out.push_str(&format!("{cell}{pad}"));
            } else {
                out.push_str(&format!("  {pad}{cell}"));
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    };
    let mut out = format!("{legend}[code]\n");
    out.push_str(&line(&header));
    for row in &rows {
        out.push_str(&line(row));
    }
    out.push_str("[/code]\n\n");
    out
}

fn column_width(header: &[String], rows: &[Vec<String>], i: usize) -> usize {
    let cell = |s: Option<&String>| s.map_or(0, |s| s.chars().count());
    rows.iter()
        .map(|r| cell(r.get(i)))
        .chain([cell(header.get(i))])
        .max()
        .unwrap_or(0)
}

/// A line's text without markup (for inside `[code]`), escaped.
fn plain(line: &[Inline]) -> String {
    line.iter()
        .map(|piece| match piece {
            Inline::Text(text) | Inline::Code(text) | Inline::File(text) | Inline::Strong(text) => {
                escape::bbcode(text)
            }
        })
        .collect()
}

/// A line's pieces, escaped, with `[b]` for strong text.
pub fn inline(line: &[Inline]) -> String {
    line.iter()
        .map(|piece| match piece {
            Inline::Text(text) | Inline::Code(text) | Inline::File(text) => escape::bbcode(text),
            Inline::Strong(text) => format!("[b]{}[/b]", escape::bbcode(text)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(row: &[&str]) -> Vec<Vec<Inline>> {
        row.iter()
            .map(|c| vec![Inline::Text(c.to_string())])
            .collect()
    }

    #[test]
    fn a_table_is_aligned_text_in_a_code_block() {
        let header = vec!["outcome".to_string(), "history".into(), "other".into()];
        let rows = vec![
            cells(&["war", "4.0%", "100%"]),
            cells(&["a_longer_one", "12.5%", "-"]),
        ];
        assert_eq!(
            table(&header, &rows),
            "[code]\noutcome       history  other\nwar              4.0%   100%\na_longer_one    12.5%      -\n[/code]\n\n"
        );
    }

    #[test]
    fn a_wide_table_keys_its_columns_under_a_legend() {
        let long = "a_scenario_with_a_long_name".to_string();
        let header = vec![
            "outcome".to_string(),
            long.clone(),
            long.clone(),
            long.clone(),
            long,
        ];
        let rows = vec![cells(&["war", "1%", "2%", "3%", "4%"])];
        let text = table(&header, &rows);
        assert!(
            text.starts_with("1 = a_scenario_with_a_long_name; 2 = "),
            "{text}"
        );
        assert!(
            text.ends_with("[code]\noutcome   1   2   3   4\nwar      1%  2%  3%  4%\n[/code]\n\n"),
            "{text}"
        );
    }

    #[test]
    fn a_chart_is_a_caption_naming_its_file_never_an_img_tag() {
        let text = block(&Block::Image {
            file: "difference.png".into(),
            alt: "What each divergence changes.".into(),
        });
        assert_eq!(
            text,
            "[i]Chart: What each divergence changes (difference.png).[/i]\n\n"
        );
    }
}
