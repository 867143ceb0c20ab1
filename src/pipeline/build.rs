//! The build stages: a loaded [`Site`] written to its output folder.
//!
//! [`Site::build`]: the output checked → the e-book's errors → the theme
//! and its templates → a staging folder → pages and data through the
//! producer → static files → the staging folder swapped in.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::produce::{Producer, Selection};
use super::write::Prefixed;
use crate::diagnostic::{Code, Diagnostics};
use crate::output::{self, Staging};
use crate::render::context::NavCache;
use crate::render::search::ArticleHtml;
use crate::render::Templates;
use crate::site::Site;
use crate::theme::Theme;

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Pages and other files written.
    pub files: usize,
    /// Where.
    pub output: PathBuf,
    /// Warnings (build succeeded).
    pub warnings: Diagnostics,
    /// Time per step.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Site {
    /// Renders the site and writes it to `output`, replacing what was there
    /// only when everything succeeded. A site builds once: the search index
    /// frees the articles' HTML as it reads it ([`Site::take_article_html`]).
    ///
    /// # Panics
    ///
    /// When the site has been built before (load it again to build again).
    pub fn build(&mut self, output: &Path) -> Result<BuildReport, Diagnostics> {
        self.build_with(output, &mut [])
    }

    /// [`Site::build`], with the site in each further language
    /// ([`super::load::load_in`]) written into its folder (`es/`) of the
    /// same output, in the same swap.
    pub fn build_with(
        &mut self,
        output: &Path,
        languages: &mut [Site],
    ) -> Result<BuildReport, Diagnostics> {
        assert!(
            !self.html_taken && languages.iter().all(|s| !s.html_taken),
            "a Site builds once: load it again to build again"
        );
        let mut timings = self.timings.clone();
        let start = Instant::now();
        refuse_output(&self.handbook.root, output)?;
        // Every language's e-book errors (an image without alt text …) and
        // templates before anything is written.
        let mut prepared = Vec::new();
        for site in std::iter::once(&*self).chain(languages.iter()) {
            if let Some(Err(d)) = site.ebook() {
                return Err(d.clone());
            }
            prepared.push(templates(site)?);
        }
        let staging = Staging::new(output).map_err(|e| io_error(e, output))?;
        let mut count = 0;
        let sites = std::iter::once(&mut *self).chain(languages.iter_mut());
        for (i, (site, prepared)) in sites.zip(&prepared).enumerate() {
            // The default language at the root, each further one in its folder.
            let prefix = if i == 0 {
                String::new()
            } else {
                site.handbook.config.language.clone()
            };
            let writer = Prefixed::new(&staging, &prefix);
            count += write_language(site, prepared, &writer, output)?;
        }
        timings.push(("render and write", start.elapsed()));
        let start = Instant::now();
        staging.commit().map_err(|e| io_error(e, output))?;
        timings.push(("swap", start.elapsed()));
        Ok(BuildReport {
            files: count,
            output: output.to_path_buf(),
            warnings: self.warnings.clone(),
            timings,
        })
    }
}

/// Every file of one language's site, through `writer`: the pages, then,
/// with the articles' HTML taken out of the site, the data files, then the
/// static files. Rendering and writing go together, page by page, to keep
/// memory flat. Returns the number of files made; when a page fails, the
/// data files are not made (the build fails either way).
fn write_language(
    site: &mut Site,
    (theme, templates): &(Theme, Templates),
    writer: &Prefixed<'_>,
    output: &Path,
) -> Result<usize, Diagnostics> {
    let nav = NavCache::new(&site.handbook, &site.words);
    let pages = Producer {
        site,
        templates,
        theme,
        nav: &nav,
    }
    .run(&Selection::Pages, writer)
    .map_err(Diagnostics)?;
    let html = ArticleHtml::Taken(site.take_article_html());
    let producer = Producer {
        site,
        templates,
        theme,
        nav: &nav,
    };
    let data = producer.data_files(html, writer).map_err(Diagnostics)?;
    producer
        .copy_static(writer)
        .map_err(|e| io_error(e, output))?;
    Ok(pages + data)
}

/// An output folder Trellis must not write (see [`output::check`]).
fn refuse_output(root: &Path, output: &Path) -> Result<(), Diagnostics> {
    output::check(root, output).map_err(|refusal| {
        let help = refusal.help();
        Diagnostics(vec![Code::OutputRefused
            .error(output, 0, 0, refusal.to_string())
            .with_help(help)])
    })
}

/// The site's theme and its templates (with the handbook's overrides).
pub fn templates(site: &Site) -> Result<(Theme, Templates), Diagnostics> {
    let root = &site.handbook.root;
    let theme = Theme::find(root, &site.handbook.config.theme).map_err(|d| Diagnostics(vec![d]))?;
    let templates = Templates::for_handbook(&theme, &site.handbook).map_err(Diagnostics)?;
    Ok((theme, templates))
}

fn io_error(e: std::io::Error, path: &Path) -> Diagnostics {
    Diagnostics(vec![Code::WriteFailed
        .error(path, 0, 0, format!("cannot write the site: {e}"))
        .with_help(
            "check that the output folder's parent exists and that you may write there",
        )])
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::site::{LoadOptions, Site};

    #[test]
    #[should_panic(expected = "a Site builds once")]
    fn a_site_builds_once() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut site = Site::load(&LoadOptions {
            root,
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("{:?}", d.0.first()));
        let out = std::env::temp_dir().join(format!("trellis-builds-once-{}", std::process::id()));
        let first = site.build(&out);
        let _ = std::fs::remove_dir_all(&out);
        assert!(first.is_ok(), "{first:?}");
        // Its articles' HTML is gone: a second build would write empty pages.
        let _ = site.build(&out);
    }
}
