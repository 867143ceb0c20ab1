//! The import report: what could not be carried over, each item at the
//! source file and line it is about, with what to do. Printed by
//! `trellis import` and written as `IMPORT-REPORT.md` in the new handbook,
//! with a table of the pages whose addresses changed.

use std::fmt;

/// One thing the import could not carry over.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// The source file (or folder) it is about, as the user gave the source.
    pub file: String,
    /// 1-based line; 0 for a file or folder as a whole.
    pub line: usize,
    /// What was not carried over.
    pub what: String,
    /// What to do about it.
    pub todo: String,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}: {} — {}",
                self.file, self.line, self.what, self.todo
            )
        } else {
            write!(f, "{}: {} — {}", self.file, self.what, self.todo)
        }
    }
}

/// Everything the import has to tell the author.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// What was not carried over, sorted by file and line once the import is done.
    pub items: Vec<Item>,
    /// Pages whose address changed: old address, new address (both
    /// site-relative), and whether an alias now redirects the old one.
    pub moved: Vec<(String, String, bool)>,
}

impl Report {
    /// Adds an item.
    pub fn add(
        &mut self,
        file: impl Into<String>,
        line: usize,
        what: impl Into<String>,
        todo: impl Into<String>,
    ) {
        self.items.push(Item {
            file: file.into(),
            line,
            what: what.into(),
            todo: todo.into(),
        });
    }

    /// Sorts the items by file, then line (the order found within a line
    /// is kept), and drops repeats.
    pub fn sort(&mut self) {
        self.items
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.items.dedup();
    }

    /// `IMPORT-REPORT.md`: the items, the moved addresses and the next steps.
    pub fn to_markdown(&self, heading: &str, summary: &str) -> String {
        let mut out = format!("# {heading}\n\n{summary}\n\n## Not carried over\n\n");
        if self.items.is_empty() {
            out.push_str("Everything was carried over.\n");
        } else {
            out.push_str(
                "Each item names the source file and line, what could not be carried \
                 over, and what to do.\n\n",
            );
            for item in &self.items {
                out.push_str(&format!("- {}\n", escape_line(&item.to_string())));
            }
        }
        if !self.moved.is_empty() {
            out.push_str(
                "\n## Addresses that changed\n\nOld links to these pages from other sites \
                 need a redirect. Where the old address was a folder, the article's \
                 `aliases:` now sends readers on; the others need a redirect on your \
                 web server.\n\n| old address | new address | redirected |\n|---|---|---|\n",
            );
            for (old, new, aliased) in &self.moved {
                out.push_str(&format!(
                    "| `{}` | `{}` | {} |\n",
                    old.replace('|', "\\|").replace('`', ""),
                    new.replace('|', "\\|").replace('`', ""),
                    if *aliased { "yes (`aliases:`)" } else { "no" }
                ));
            }
        }
        out.push_str(
            "\n## Next steps\n\n\
             1. `trellis serve` in this folder shows the handbook; read it through.\n\
             2. Work through the items above, then delete this file.\n\
             3. `trellis check` lists what a handbook still needs: summaries to \
             write (those starting `TODO`), reviews, alt text, quizzes.\n\
             4. Check `crisis:` in `handbook.yaml`: the signposting shown on every \
             page must fit your readers.\n",
        );
        out
    }
}

/// A report line as markdown list text: nothing in it starts markup of its own.
fn escape_line(line: &str) -> String {
    line.replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_print_with_their_place() {
        let mut r = Report::default();
        r.add("book/src/b.md", 3, "a shortcode", "write it out");
        r.add("book/book.toml", 0, "a theme", "see docs/themes.md");
        r.add("book/src/b.md", 1, "first", "x");
        r.sort();
        let lines: Vec<String> = r.items.iter().map(Item::to_string).collect();
        assert_eq!(
            lines,
            [
                "book/book.toml: a theme — see docs/themes.md",
                "book/src/b.md:1: first — x",
                "book/src/b.md:3: a shortcode — write it out",
            ]
        );
        let md = r.to_markdown("Import report", "From x.");
        assert!(md.contains("- book/src/b.md:3: a shortcode — write it out\n"));
    }
}
