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
        // The e-book's errors (an image without alt text …) before anything is written.
        if let Some(Err(d)) = self.ebook() {
            return Err(d.clone());
        }
        let (theme, templates) = templates(self)?;
        let staging = Staging::new(output).map_err(|e| io_error(e, output))?;
        let nav = NavCache::new(&self.handbook);
        let producer = Producer {
            site: self,
            templates: &templates,
            theme: &theme,
            nav: &nav,
        };
        // Rendering and writing go together, page by page, to keep memory flat.
        let mut count = producer
            .run(&Selection::All, &staging)
            .map_err(Diagnostics)?;
        producer
            .copy_static(&staging)
            .map_err(|e| io_error(e, output))?;
        for site in languages {
            count += site.produce_into(&staging, output)?;
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

impl Site {
    /// This site (one further language's) through the producer into its
    /// folder of the whole site's `staging`, with its own templates.
    fn produce_into(&self, staging: &Staging, output: &Path) -> Result<usize, Diagnostics> {
        if let Some(Err(d)) = self.ebook() {
            return Err(d.clone());
        }
        let (theme, templates) = templates(self)?;
        let nav = NavCache::new(&self.handbook);
        let producer = Producer {
            site: self,
            templates: &templates,
            theme: &theme,
            nav: &nav,
        };
        let writer = Prefixed::new(staging, &self.handbook.config.language);
        let count = producer
            .run(&Selection::All, &writer)
            .map_err(Diagnostics)?;
        producer
            .copy_static(&writer)
            .map_err(|e| io_error(e, output))?;
        Ok(count)
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
    let templates =
        Templates::for_handbook(root, &theme, &site.handbook.config).map_err(Diagnostics)?;
    Ok((theme, templates))
}

fn io_error(e: std::io::Error, path: &Path) -> Diagnostics {
    Diagnostics(vec![Code::WriteFailed
        .error(path, 0, 0, format!("cannot write the site: {e}"))
        .with_help(
            "check that the output folder's parent exists and that you may write there",
        )])
}
