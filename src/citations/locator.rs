//! Locators: the `p. 12` of `[@key, p. 12]` as a CSL locator for hayagriva.

use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::{LocatorPayload, SpecificLocator};

/// `p. 12`, `pp. 12-14`, `chap. 3`, `sec. 2`, `12` (a page) → a CSL locator.
pub(super) fn parse_locator(text: &str) -> SpecificLocator<'_> {
    let text = text.trim();
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return SpecificLocator(Locator::Page, LocatorPayload::Str(text));
    }
    let (label, rest) = match text.find(|c: char| c.is_whitespace() || c.is_ascii_digit()) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    };
    let kind = locator_kind(label.trim_end_matches('.'));
    match kind {
        Some(kind) if !rest.is_empty() => SpecificLocator(kind, LocatorPayload::Str(rest)),
        _ => SpecificLocator(Locator::Custom, LocatorPayload::Str(text)),
    }
}

fn locator_kind(label: &str) -> Option<Locator> {
    let kind = match label.to_lowercase().as_str() {
        "p" | "pp" | "pg" | "pgs" | "page" | "pages" => Locator::Page,
        "ch" | "chap" | "chaps" | "chapter" | "chapters" => Locator::Chapter,
        "sec" | "secs" | "section" | "sections" | "§" | "§§" => Locator::Section,
        "para" | "paras" | "paragraph" | "paragraphs" | "¶" | "¶¶" => Locator::Paragraph,
        "fig" | "figs" | "figure" | "figures" => Locator::Figure,
        "vol" | "vols" | "volume" | "volumes" => Locator::Volume,
        "no" | "nos" | "iss" | "issue" | "issues" | "number" => Locator::Issue,
        "n" | "nn" | "note" | "notes" => Locator::Note,
        "l" | "ll" | "line" | "lines" => Locator::Line,
        "v" | "vv" | "verse" | "verses" => Locator::Verse,
        "col" | "cols" | "column" | "columns" => Locator::Column,
        "pt" | "pts" | "part" | "parts" => Locator::Part,
        "bk" | "bks" | "book" | "books" => Locator::Book,
        "op" | "opp" | "opus" | "opera" => Locator::Opus,
        "fol" | "fols" | "folio" | "folios" => Locator::Folio,
        "tab" | "tbl" | "table" | "tables" => Locator::Table,
        "app" | "appx" | "appendix" | "appendices" => Locator::Appendix,
        "eq" | "eqs" | "equation" | "equations" => Locator::Equation,
        "s.v" | "sv" => Locator::SubVerbo,
        "sc" | "scene" | "scenes" => Locator::Scene,
        _ => return None,
    };
    Some(kind)
}
