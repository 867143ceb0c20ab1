//! `/print/quizzes/`: every quiz as a worksheet to print and hand out, then
//! one answer key at the end, so a group leader or teacher can print the
//! questions without the answers.
//!
//! Each quiz is a section: its title and article, then its questions
//! numbered from 1, with lettered choices (A, B, C … by the place they are
//! shown in) and room to write. The questions are the quiz page's own
//! views ([`super::quiz_page::question_views`]), so choices, ordering items
//! and matching options come in exactly the order the quiz page shows
//! without JavaScript, and a letter here names the same choice there. The
//! answer key gives, per quiz and question, the keyed letters (for ordering
//! the letters in the right order, for matching each item's letter, for
//! true-false the word, for short answers the accepted answers) and the
//! rationale: the question's explanation, or, when it has none, the
//! feedback of its wrong choices. Quizzes and their keys link to each other
//! within the page. Nothing is written when the handbook has no quiz.
//!
//! A handbook whose print view is split by part ([`crate::print_parts`])
//! has too many quizzes for one page as well (30 MB of HTML at 5,000
//! quizzes): its worksheets are split the same way, one page per print
//! page that holds quizzes (`/print/quizzes/<part>/`, each with its own
//! answer key), and `/print/quizzes/` lists them, followed by the quizzes
//! that belong to no article.

use std::sync::Arc;

use serde::Serialize;
use serde_json::json;

use super::context::{common, Link, Place};
use super::quiz_page::{question_views, OptionView, QuestionView};
use super::{Later, PageJob};
use crate::links::relative_url;
use crate::print_parts::{PrintParts, PRINT_URL};
use crate::quiz::load::SiteQuiz;
use crate::site::Site;
use crate::theme_strings::Words;

/// Site-relative folder of the worksheets page.
pub const WORKSHEETS_URL: &str = "print/quizzes/";

/// The worksheets pages (none without quizzes): one, or, when the print
/// view is split by part, the list and one page per part with quizzes.
pub fn pages(site: &Site) -> Vec<Later<'_>> {
    if site.quizzes.is_empty() {
        return Vec::new();
    }
    // Planned once; each page's values (every question of its quizzes)
    // made when it is rendered, not all held at once.
    let groups = Arc::new(groups(site));
    let listing: Later<'_> = Box::new({
        let groups = Arc::clone(&groups);
        move || {
            let parts = groups
                .pages
                .iter()
                .map(|g| WorksheetsPart {
                    title: g.title.clone(),
                    href: relative_url(WORKSHEETS_URL, &g.url),
                    quizzes: g.quizzes.len(),
                })
                .collect();
            page(
                site,
                Sheet::Listing {
                    parts,
                    quizzes: &groups.standalone,
                },
            )
        }
    });
    let part_pages = (0..groups.pages.len()).map(|i| -> Later<'_> {
        let groups = Arc::clone(&groups);
        Box::new(move || page(site, Sheet::Part(&groups.pages[i])))
    });
    std::iter::once(listing).chain(part_pages).collect()
}

/// Site-relative URLs of the worksheets pages, for the sitemap.
pub fn urls(site: &Site) -> Vec<String> {
    if site.quizzes.is_empty() {
        return Vec::new();
    }
    std::iter::once(WORKSHEETS_URL.to_string())
        .chain(groups(site).pages.into_iter().map(|g| g.url))
        .collect()
}

/// The worksheets by page: when the print view is split by part, the
/// quizzes of each print page that holds any, and on `/print/quizzes/`
/// those that belong to no article; else every quiz on `/print/quizzes/`.
struct Groups<'a> {
    pages: Vec<Group<'a>>,
    standalone: Vec<&'a SiteQuiz>,
}

/// The worksheets page of one print page.
struct Group<'a> {
    /// Site-relative folder: `print/quizzes/<slug>/`, the slug of its print page.
    url: String,
    /// Its part's title (or "Articles outside the parts").
    title: String,
    quizzes: Vec<&'a SiteQuiz>,
}

/// How the worksheets are split (see [`Groups`]).
fn groups(site: &Site) -> Groups<'_> {
    let Some(parts) = PrintParts::of(&site.handbook) else {
        return Groups {
            pages: Vec::new(),
            standalone: site.quizzes.iter().collect(),
        };
    };
    let mut by_page: Vec<Vec<&SiteQuiz>> = vec![Vec::new(); parts.pages.len()];
    let mut standalone = Vec::new();
    for q in &site.quizzes {
        let page = q
            .article
            .and_then(|a| site.handbook.articles.get(a))
            .and_then(|a| parts.page_of_part(a.part));
        match page.and_then(|p| by_page.get_mut(p)) {
            Some(list) => list.push(q),
            None => standalone.push(q),
        }
    }
    let pages = parts
        .pages
        .iter()
        .zip(by_page)
        .filter(|(_, quizzes)| !quizzes.is_empty())
        .map(|(print, quizzes)| {
            let slug = print.url.strip_prefix(PRINT_URL).unwrap_or(&print.url);
            Group {
                url: format!("{WORKSHEETS_URL}{slug}"),
                title: super::print::part_title(site, print.part).to_string(),
                quizzes,
            }
        })
        .collect();
    Groups { pages, standalone }
}

/// What `worksheets.html` gets as `worksheets`.
#[derive(Debug, Clone, Serialize)]
pub struct WorksheetsPage {
    /// The page's quizzes, in the order of the list of quizzes: every
    /// quiz, or, when the worksheets are split by part, that part's (on
    /// `/print/quizzes/`, those that belong to no article).
    pub quizzes: Vec<Worksheet>,
    /// How many questions in all.
    pub question_count: usize,
    /// On a part's page, the part's title.
    pub part: Option<String>,
    /// On `/print/quizzes/` when the worksheets are split by part, the
    /// parts' pages; else empty.
    pub parts: Vec<WorksheetsPart>,
}

/// A part's worksheets page, as `/print/quizzes/` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct WorksheetsPart {
    /// The part's title.
    pub title: String,
    /// Its page, relative to `/print/quizzes/`.
    pub href: String,
    /// How many worksheets it holds.
    pub quizzes: usize,
}

/// One quiz as a worksheet, with its share of the answer key.
#[derive(Debug, Clone, Serialize)]
pub struct Worksheet {
    /// 1-based place among the worksheets.
    pub number: usize,
    /// The `id` of its section (`ws-<number>`).
    pub id: String,
    /// The `id` of its part of the answer key (`ws-<number>-key`).
    pub key_id: String,
    /// The quiz's title.
    pub title: String,
    /// Its quiz page, relative to the worksheets page.
    pub quiz_url: String,
    /// The article it belongs to, linked relative to the worksheets page.
    pub article: Option<Link>,
    /// Its questions, in the order written.
    pub questions: Vec<WorksheetQuestion>,
}

/// One question of a worksheet and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct WorksheetQuestion {
    /// 1-based number in its quiz.
    pub number: usize,
    /// The `id` of the question (`ws-<quiz>-<number>`).
    pub id: String,
    /// The `id` of its answer in the key (`ws-<quiz>-key-<number>`).
    pub key_id: String,
    /// The type: `single`, `multiple`, `true-false`, `short-answer`, `ordering`, `matching`.
    pub kind: &'static str,
    /// What to do on paper ("Choose one. Write its letter.").
    pub hint: String,
    /// The prompt as inline HTML.
    pub prompt_html: String,
    /// Lettered in the order the quiz page shows them: the choices
    /// (`single`, `multiple`), the items (`ordering`) or the options
    /// (`matching`); empty for the other types.
    pub choices: Vec<Lettered>,
    /// The numbered left items of a `matching` question.
    pub items: Vec<Numbered>,
    /// The answer, for the key: letters (`B`; `A, C`; `C, A, B` for an
    /// ordering, first to last; `1 → C, 2 → A` for a matching), `True` or
    /// `False`, or the accepted answers, as HTML.
    pub answer_html: String,
    /// The explanation as inline HTML.
    pub explanation_html: Option<String>,
    /// The wrong choices' feedback, lettered, when the question has no
    /// explanation (else empty).
    pub feedback: Vec<Lettered>,
}

/// A choice, item or option with its letter.
#[derive(Debug, Clone, Serialize)]
pub struct Lettered {
    /// `A`, `B`, … by the place it is shown in.
    pub letter: String,
    /// Its text as inline HTML.
    pub html: String,
}

/// A left item of a matching question with its number.
#[derive(Debug, Clone, Serialize)]
pub struct Numbered {
    /// 1, 2, … in the order written.
    pub number: usize,
    /// Its text as inline HTML.
    pub html: String,
}

/// One worksheets page to make.
enum Sheet<'a> {
    /// `/print/quizzes/`: its quizzes, and the parts' pages it lists when
    /// the worksheets are split (else none).
    Listing {
        parts: Vec<WorksheetsPart>,
        quizzes: &'a [&'a SiteQuiz],
    },
    /// A part's page.
    Part(&'a Group<'a>),
}

/// The worksheets page `sheet`.
fn page(site: &Site, sheet: Sheet<'_>) -> PageJob {
    let (url, part, parts, quizzes) = match sheet {
        Sheet::Listing { parts, quizzes } => (WORKSHEETS_URL, None, parts, quizzes),
        Sheet::Part(g) => (
            g.url.as_str(),
            Some(g.title.as_str()),
            Vec::new(),
            &g.quizzes[..],
        ),
    };
    let data = WorksheetsPage {
        part: part.map(str::to_string),
        parts,
        ..worksheets_of(site, url, quizzes)
    };
    let mut ctx = common(
        site,
        Place {
            url,
            part: None,
            article: None,
            near: None,
        },
    );
    ctx.insert("worksheets", &data);
    let mut breadcrumbs = super::quiz::home_and_quizzes(site, url);
    if part.is_some() {
        breadcrumbs.push(Link {
            title: site.words.get("worksheets_title").into(),
            href: relative_url(url, WORKSHEETS_URL),
        });
    }
    let title = match part {
        Some(part) => site
            .words
            .get("worksheets_part_title")
            .replace("{part}", part),
        None => site.words.get("worksheets_title").to_string(),
    };
    ctx.insert(
        "page",
        &json!({ "kind": "worksheets", "title": title, "breadcrumbs": breadcrumbs }),
    );
    PageJob::new(url, "worksheets.html", ctx)
}

/// The page data for every quiz of the site, on one page.
pub fn worksheets(site: &Site) -> WorksheetsPage {
    let all: Vec<&SiteQuiz> = site.quizzes.iter().collect();
    worksheets_of(site, WORKSHEETS_URL, &all)
}

/// The page data for `quizzes` on the worksheets page at `url`.
fn worksheets_of(site: &Site, url: &str, quizzes: &[&SiteQuiz]) -> WorksheetsPage {
    let quizzes: Vec<Worksheet> = quizzes
        .iter()
        .enumerate()
        .map(|(i, q)| worksheet(site, url, i + 1, q))
        .collect();
    WorksheetsPage {
        question_count: quizzes.iter().map(|w| w.questions.len()).sum(),
        quizzes,
        part: None,
        parts: Vec::new(),
    }
}

fn worksheet(site: &Site, url: &str, number: usize, q: &SiteQuiz) -> Worksheet {
    let article = q
        .article
        .and_then(|a| site.handbook.articles.get(a))
        .map(|art| Link {
            title: art.meta.title.clone(),
            href: relative_url(url, &art.url),
        });
    let id = format!("ws-{number}");
    let questions = question_views(&q.quiz, &[], &site.words)
        .iter()
        .map(|v| question(&id, v, &site.words))
        .collect();
    Worksheet {
        number,
        key_id: format!("{id}-key"),
        id,
        title: q.title.clone(),
        quiz_url: relative_url(url, &q.url),
        article,
        questions,
    }
}

/// Question `v` of the worksheet whose section is `quiz_id`, its hint in
/// `words`' language.
fn question(quiz_id: &str, v: &QuestionView, words: &Words) -> WorksheetQuestion {
    let lettered = |options: &[OptionView]| -> Vec<Lettered> {
        options
            .iter()
            .enumerate()
            .map(|(i, o)| Lettered {
                letter: letter(i),
                html: o.html.clone(),
            })
            .collect()
    };
    // The letter of the option whose form value is `id`.
    let letter_of = |id: &str| {
        v.options
            .iter()
            .position(|o| o.id == id)
            .map_or_else(|| "?".to_string(), letter)
    };
    let mut choices = Vec::new();
    let mut items = Vec::new();
    let (hint, answer_html) = match v.kind {
        "single" | "multiple" => {
            choices = lettered(&v.options);
            let keyed: Vec<String> = v
                .options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.correct)
                .map(|(i, _)| letter(i))
                .collect();
            let hint = if v.kind == "single" {
                "worksheet_hint_single"
            } else {
                "worksheet_hint_multiple"
            };
            (hint, keyed.join(", "))
        }
        "true-false" => {
            let answer = v
                .options
                .iter()
                .find(|o| o.correct)
                .map_or_else(String::new, |o| o.html.clone());
            ("worksheet_hint_true_false", answer)
        }
        "ordering" => {
            choices = lettered(&v.options);
            // `i<k>` is the item that comes k-th.
            let order: Vec<String> = (1..=v.options.len())
                .map(|k| letter_of(&format!("i{k}")))
                .collect();
            ("worksheet_hint_ordering", order.join(", "))
        }
        "matching" => {
            choices = lettered(&v.options);
            items = v
                .lefts
                .iter()
                .enumerate()
                .map(|(i, l)| Numbered {
                    number: i + 1,
                    html: l.html.clone(),
                })
                .collect();
            // Left item `l<k>` goes with right option `r<k>`.
            let pairs: Vec<String> = (1..=v.lefts.len())
                .map(|k| format!("{k} \u{2192} {}", letter_of(&format!("r{k}"))))
                .collect();
            ("worksheet_hint_matching", pairs.join(", "))
        }
        _ => ("worksheet_hint_other", v.answer_html.clone()),
    };
    let feedback = if v.explanation_html.is_none() {
        v.options
            .iter()
            .enumerate()
            .filter(|(_, o)| !o.correct)
            .filter_map(|(i, o)| {
                o.feedback_html.as_ref().map(|f| Lettered {
                    letter: letter(i),
                    html: f.clone(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    WorksheetQuestion {
        number: v.number,
        id: format!("{quiz_id}-{}", v.number),
        key_id: format!("{quiz_id}-key-{}", v.number),
        kind: v.kind,
        hint: words.get(hint).to_string(),
        prompt_html: v.prompt_html.clone(),
        choices,
        items,
        answer_html,
        explanation_html: v.explanation_html.clone(),
        feedback,
    }
}

/// The letter of the choice shown `i`-th (0-based): `A` … `Z`, then `AA`, `AB` ….
pub fn letter(i: usize) -> String {
    let mut n = i + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::LoadOptions;
    use std::path::Path;

    #[test]
    fn letters_go_on_past_z() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }

    fn quizzes_fixture() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/quizzes");
        Site::load(&LoadOptions {
            root,
            drafts: false,
            ..Default::default()
        })
        .unwrap_or_else(|d| panic!("{:?}", d.0.first()))
    }

    #[test]
    fn the_key_names_the_letters_the_quiz_page_shows() {
        let site = quizzes_fixture();
        let data = worksheets(&site);
        assert_eq!(data.quizzes.len(), 2);
        assert_eq!(data.question_count, 7);
        let sheet = &data.quizzes[0];
        let views = question_views(&site.quizzes[0].quiz, &[], &site.words);
        for (q, v) in sheet.questions.iter().zip(&views) {
            // Letters follow the quiz page's order of options.
            let shown: Vec<&str> = v.options.iter().map(|o| o.html.as_str()).collect();
            let lettered: Vec<&str> = q.choices.iter().map(|c| c.html.as_str()).collect();
            if !q.choices.is_empty() {
                assert_eq!(lettered, shown, "question {}", q.number);
            }
            match q.kind {
                "single" | "multiple" => {
                    let keyed: Vec<String> = v
                        .options
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.correct)
                        .map(|(i, _)| letter(i))
                        .collect();
                    assert_eq!(q.answer_html, keyed.join(", "));
                }
                "ordering" => {
                    // Reading the items by the key's letters gives the right order.
                    let by_letter: Vec<&str> = q
                        .answer_html
                        .split(", ")
                        .map(|l| {
                            q.choices
                                .iter()
                                .find(|c| c.letter == l)
                                .map(|c| c.html.as_str())
                                .unwrap()
                        })
                        .collect();
                    assert_eq!(by_letter, ["Meet", "Ask", "Agree"]);
                }
                "matching" => {
                    let right = |n: usize| {
                        let letter = q.answer_html.split(", ").nth(n).unwrap();
                        let letter = letter.rsplit(' ').next().unwrap();
                        q.choices
                            .iter()
                            .find(|c| c.letter == letter)
                            .unwrap()
                            .html
                            .clone()
                    };
                    assert_eq!(q.items[0].html, "Goal");
                    assert_eq!(right(0), "Where you go");
                    assert_eq!(right(1), "How you get there");
                }
                "true-false" => assert_eq!(q.answer_html, "True"),
                "short-answer" => assert_eq!(q.answer_html, "trust"),
                other => panic!("{other}"),
            }
        }
        // No explanation: the wrong choices' feedback stands in for it.
        let ask = &sheet.questions[1];
        assert!(ask.explanation_html.is_none());
        assert_eq!(ask.feedback.len(), 1);
        assert_eq!(ask.feedback[0].html, "You can always ask.");
        let first = &sheet.questions[0];
        assert!(first.explanation_html.is_some());
        assert!(first.feedback.is_empty());
        assert_eq!(
            (first.id.as_str(), first.key_id.as_str()),
            ("ws-1-1", "ws-1-key-1")
        );
    }
}
