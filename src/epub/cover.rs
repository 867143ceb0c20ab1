//! The book's cover: an SVG drawn from the title, subtitle and authors
//! (black on white, so it reads on e-ink too; no picture to supply), and the
//! cover page that shows it with the title as its text alternative, in the
//! book's language ("Cover: …", from the theme's words).

use std::fmt::Write as _;

use super::xhtml::esc;
use crate::config::Config;
use crate::theme_strings::Words;

/// The cover page's file name.
pub const PAGE: &str = "cover.xhtml";
/// The cover image's file name (the package's `cover-image`).
pub const IMAGE: &str = "cover.svg";

const WIDTH: usize = 600;
const HEIGHT: usize = 900;

/// What the cover shows.
#[derive(Debug, Clone)]
pub struct Cover {
    title: String,
    subtitle: Option<String>,
    authors: String,
    /// The text alternative's words (`epub_cover_alt`: "Cover: {title}").
    alt: String,
}

impl Cover {
    /// The cover of the handbook `config` describes, its text alternative
    /// in `words`' language.
    pub fn new(config: &Config, words: &Words) -> Cover {
        Cover {
            title: config.title.trim().to_string(),
            subtitle: config
                .subtitle
                .as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            authors: config.authors.join(", "),
            alt: words.get("epub_cover_alt").to_string(),
        }
    }

    /// The words a reader who cannot see the cover is given.
    pub fn alt(&self) -> String {
        let title = match &self.subtitle {
            Some(sub) => format!("{}. {sub}", self.title),
            None => self.title.clone(),
        };
        self.alt.replace("{title}", &title)
    }

    /// The cover image.
    pub fn svg(&self) -> String {
        let mut s = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"cover-title\">\n<title id=\"cover-title\">{}</title>\n<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>\n<rect x=\"40\" y=\"40\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#000000\" stroke-width=\"3\"/>\n",
            esc(&self.alt()),
            WIDTH - 80,
            HEIGHT - 80
        );
        // A trellis: a lattice of thin lines across the top of the cover.
        s.push_str("<g stroke=\"#000000\" stroke-width=\"2\" fill=\"none\">\n");
        for i in 0..8 {
            let (x, next) = (40 + i * 65, 40 + (i + 1) * 65);
            let _ = writeln!(
                s,
                "<line x1=\"{x}\" y1=\"40\" x2=\"{next}\" y2=\"200\"/><line x1=\"{next}\" y1=\"40\" x2=\"{x}\" y2=\"200\"/>"
            );
        }
        let _ = writeln!(
            s,
            "<line x1=\"40\" y1=\"200\" x2=\"{}\" y2=\"200\"/>\n</g>",
            WIDTH - 40
        );
        let (size, lines) = fit(&self.title);
        let line_height = size * 6 / 5;
        let mut y = 300 + size;
        for line in &lines {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{y}\" text-anchor=\"middle\" font-family=\"Georgia, 'Times New Roman', serif\" font-size=\"{size}\" font-weight=\"bold\" fill=\"#000000\">{}</text>",
                WIDTH / 2,
                esc(line)
            );
            y += line_height;
        }
        if let Some(sub) = &self.subtitle {
            y += 20;
            for line in wrap(sub, 34).iter().take(3) {
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{y}\" text-anchor=\"middle\" font-family=\"Georgia, 'Times New Roman', serif\" font-size=\"28\" font-style=\"italic\" fill=\"#000000\">{}</text>",
                    WIDTH / 2,
                    esc(line)
                );
                y += 36;
            }
        }
        if !self.authors.is_empty() {
            for (i, line) in wrap(&self.authors, 40).iter().take(2).enumerate() {
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-family=\"Georgia, 'Times New Roman', serif\" font-size=\"24\" fill=\"#000000\">{}</text>",
                    WIDTH / 2,
                    HEIGHT - 110 + i * 32,
                    esc(line)
                );
            }
        }
        s.push_str("</svg>\n");
        s
    }

    /// The cover page.
    pub fn page(&self, lang: &str) -> String {
        let body = format!(
            "<section class=\"cover\" epub:type=\"cover\">\n<img role=\"doc-cover\" src=\"{IMAGE}\" alt=\"{}\"/>\n</section>",
            esc(&self.alt())
        );
        super::page(lang, &self.title, "cover", &body)
    }
}

/// The title's font size and lines: as large as fits in at most four lines.
fn fit(title: &str) -> (usize, Vec<String>) {
    for (size, width) in [(64, 14), (52, 17), (42, 21), (34, 26)] {
        let lines = wrap(title, width);
        if lines.len() <= 4 {
            return (size, lines);
        }
    }
    let mut lines = wrap(title, 26);
    lines.truncate(7);
    (34, lines)
}

/// `text` in lines of at most about `width` characters, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_between_words_and_shrink_to_fit() {
        assert_eq!(wrap("Trust in Therapy", 14), ["Trust in", "Therapy"]);
        let (size, lines) = fit("Trust in Therapy");
        assert_eq!((size, lines.len()), (64, 2));
        let long = "A very long handbook title that goes on and on about many things at once";
        let (size, lines) = fit(long);
        assert!(size < 64 && lines.len() <= 4, "{size} {lines:?}");
    }
}
