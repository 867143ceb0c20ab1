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
    /// only when everything succeeded.
    pub fn build(&self, output: &Path) -> Result<BuildReport, Diagnostics> {
        self.build_with(output, &[])
    }

    /// [`Site::build`], with the site in each further language
    /// ([`super::load::load_in`]) written into its folder (`es/`) of the
    /// same output, in the same swap.
    pub fn build_with(
        &self,
        output: &Path,
        languages: &[Site],
    ) -> Result<BuildReport, Diagnostics> {
        let mut timings = self.timings.clone();
        let start = Instant::now();
        refuse_output(&self.handbook.root, output)?;
        // Every language's e-book errors (an image without alt text …) and
        // templates before anything is written.
        let mut sites = Vec::new();
        for site in std::iter::once(self).chain(languages) {
            if let Some(Err(d)) = site.ebook() {
                return Err(d.clone());
            }
            sites.push((site, templates(site)?));
        }
        let staging = Staging::new(output).map_err(|e| io_error(e, output))?;
        let mut count = 0;
        for (site, (theme, templates)) in &sites {
            // The default language at the root, each further one in its folder.
            let prefix = if std::ptr::eq(*site, self) {
                ""
            } else {
                site.handbook.config.language.as_str()
            };
            let writer = Prefixed::new(&staging, prefix);
            let nav = NavCache::new(&site.handbook, &site.words);
            let producer = Producer {
                site,
                templates,
                theme,
                nav: &nav,
            };
            // Rendering and writing go together, page by page, to keep memory flat.
            count += producer
                .run(&Selection::All, &writer)
                .map_err(Diagnostics)?;
            producer
                .copy_static(&writer)
                .map_err(|e| io_error(e, output))?;
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
