//! The book's stylesheet, from the handbook's theme: every `.css` file in
//! the theme's `epub/` folder (a theme that `extends:` another gets its
//! files first), in name order. The default theme's `epub/book.css` is plain
//! and e-ink friendly: black on white, sizes in `em` so the reader's own
//! font size wins, no colour that carries meaning, no script, nothing
//! loaded from elsewhere. A theme without an `epub/` folder gets the default
//! theme's.

use super::xhtml::esc;
use crate::diagnostic::{Code, Diagnostic};
use crate::site::Site;
use crate::theme::{Source, Theme};

/// The stylesheet's file name in the book.
pub const FILE: &str = "book.css";

/// The folder of a theme that holds its e-book stylesheets.
pub const THEME_FOLDER: &str = "epub";

/// The stylesheet of `site`'s book.
pub fn stylesheet(site: &Site) -> Result<String, Diagnostic> {
    let root = &site.handbook.root;
    let theme = Theme::find(root, &site.handbook.config.theme)?;
    let read_error = |e: std::io::Error| {
        Code::ReadFailed
            .error(
                root.join(crate::config::CONFIG_FILE),
                0,
                0,
                format!("cannot read the theme's e-book stylesheet: {e}"),
            )
            .with_help("check that the theme's epub/ folder can be read")
    };
    let mut files = css_files(&theme).map_err(read_error)?;
    if files.is_empty() {
        let default = Theme {
            source: Source::Bundled("default".into()),
            parent: None,
        };
        files = css_files(&default).map_err(read_error)?;
    }
    let mut css = String::new();
    for (name, text) in files {
        css.push_str(&format!("/* {} */\n", esc(&name).replace("*/", "* /")));
        css.push_str(&text);
        if !css.ends_with('\n') {
            css.push('\n');
        }
    }
    Ok(css)
}

/// The `.css` files of a theme's `epub/` folder, with their text.
fn css_files(theme: &Theme) -> std::io::Result<Vec<(String, String)>> {
    Ok(theme
        .files(THEME_FOLDER)?
        .into_iter()
        .filter(|f| f.rel.ends_with(".css"))
        .map(|f| (f.rel, String::from_utf8_lossy(&f.bytes).into_owned()))
        .collect())
}
