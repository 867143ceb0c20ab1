//! The `trellis` command line: parses arguments, calls the library, prints
//! diagnostics and sets the exit status (0 ok, 1 content errors, 2 bad usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use trellis::cli;

/// mimalloc instead of the system allocator: a build makes and frees
/// millions of small strings on every core, where glibc's malloc spent
/// much of the CPU (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same slot in mimalloc 2 and 3;
/// the crate does not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps memory the build frees for its next allocations instead of giving
/// it back to the system soon after: taken back, it comes back zeroed page
/// by page, in page faults that cost the build CPU time
/// (docs/performance.md).
fn keep_freed_memory() {
    // SAFETY: the option is set before any other thread exists (mimalloc's
    // options are not thread safe), and -1 is a documented value ("never").
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

#[derive(Parser)]
#[command(
    name = "trellis",
    version,
    about = "Build psychoeducation handbooks: articles, glossary and quizzes as a static site."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site.
    Build {
        /// The handbook root (default: the nearest folder upward holding handbook.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Where to write the site (default: `output_dir` from handbook.yaml, else `public`).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include articles and parts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print nothing but errors and warnings.
        #[arg(long, short)]
        quiet: bool,
        /// Print how long each step of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload the browser.
    Serve {
        /// The handbook root (default: the nearest folder upward holding handbook.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = trellis::serve::DEFAULT_PORT)]
        port: u16,
        /// The IP address to listen on; anything but a loopback address lets other machines in.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include articles and parts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Find every problem before publishing (exit 1 on errors, 0 with warnings only).
    ///
    /// Everything the build checks, plus readability, review dates, alt text,
    /// quizzes and crisis links; external links are listed, not fetched.
    Check {
        /// The handbook root (default: the nearest folder upward holding handbook.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
        /// `text` for people, `json` for CI (see docs/check.md).
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
        /// Include articles and parts marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a new handbook in DIR (new or empty) that builds as it is.
    Init {
        /// The folder to create the handbook in.
        dir: PathBuf,
    },
    /// Add something to the handbook.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Export content for other tools.
    Export {
        #[command(subcommand)]
        what: Export,
    },
    /// Make a new handbook from an mdBook book, a Zola site or a folder of markdown.
    ///
    /// Writes a handbook that builds as it is into DIR (new or empty), and
    /// reports what could not be carried over (also in DIR/IMPORT-REPORT.md).
    /// Nothing in SOURCE is changed.
    Import {
        /// What SOURCE is.
        #[arg(value_enum)]
        kind: ImportKind,
        /// The book's folder: the one with book.toml (mdBook) or config.toml (Zola).
        source: PathBuf,
        /// The new handbook's folder (new, or empty).
        #[arg(long)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportKind {
    /// An mdBook book.
    Mdbook,
    /// A Zola site.
    Zola,
    /// A folder of markdown files.
    Markdown,
}

#[derive(Subcommand)]
enum Export {
    /// Every quiz, for Moodle (GIFT) or any QTI 2.1 learning management system.
    Quizzes {
        /// `gift` (Moodle GIFT text) or `qti` (a QTI 2.1 zip).
        #[arg(long, value_enum)]
        format: QuizFormat,
        /// Where to write (default: quizzes.gift or quizzes-qti.zip here; `-` for standard output).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The quizzes' language: the handbook's own `language` (the default) or one of `languages:`.
        #[arg(long)]
        lang: Option<String>,
        /// The handbook root (default: the nearest folder upward holding handbook.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// The handbook as one accessible EPUB 3 book.
    Epub {
        /// Where to write (default: the title's slug and .epub here, e.g. trust-in-therapy.epub; `-` for standard output).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The book's language: the handbook's own `language` (the default) or one of `languages:`.
        #[arg(long)]
        lang: Option<String>,
        /// The handbook root (default: the nearest folder upward holding handbook.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum New {
    /// A new article with full front matter and an empty quiz beside it.
    Article {
        /// PART/SLUG: a part folder (with or without its number prefix; created
        /// if new) and the article's file name without `.md`.
        path: String,
        /// The article's title.
        #[arg(long)]
        title: String,
        /// The handbook root (default: the nearest folder upward holding handbook.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum QuizFormat {
    Gift,
    Qti,
}

/// Asks Linux not to back the heap with transparent huge pages (for the
/// one-shot commands; see `main`). mimalloc asks for them, then uses only
/// part of many huge regions, each of which the kernel zeroes whole when it
/// is first touched: more memory and more system time, whenever the kernel
/// has huge pages to give (docs/performance.md).
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes one integer flag and touches no memory of ours.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // `serve` keeps them: its quick edits run through memory it has not
    // touched for a while (the glossary matcher's tables), where huge pages
    // spare it most of the TLB misses (docs/performance.md).
    if !matches!(cli.command, Command::Serve { .. }) {
        no_huge_pages();
    }
    let code = match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            quiet,
            timings,
        } => cli::build(&cli::BuildArgs {
            root,
            output,
            drafts,
            quiet,
            timings,
        }),
        Command::Check {
            root,
            format,
            drafts,
        } => cli::check(&cli::CheckArgs {
            root,
            format: match format {
                CheckFormat::Text => cli::CheckFormat::Text,
                CheckFormat::Json => cli::CheckFormat::Json,
            },
            drafts,
        }),
        Command::Init { dir } => cli::init(&dir),
        Command::Import {
            kind,
            source,
            output,
        } => cli::import(&trellis::import::Options {
            kind: match kind {
                ImportKind::Mdbook => trellis::import::Kind::Mdbook,
                ImportKind::Zola => trellis::import::Kind::Zola,
                ImportKind::Markdown => trellis::import::Kind::Markdown,
            },
            source,
            output,
        }),
        Command::New {
            what: New::Article { path, title, root },
        } => cli::new_article(&cli::NewArticleArgs { root, path, title }),
        Command::Export {
            what:
                Export::Quizzes {
                    format,
                    output,
                    lang,
                    root,
                },
        } => cli::export_quizzes(&cli::ExportQuizzesArgs {
            root,
            lang,
            format: match format {
                QuizFormat::Gift => trellis::quiz::export::Format::Gift,
                QuizFormat::Qti => trellis::quiz::export::Format::Qti,
            },
            output,
        }),
        Command::Export {
            what: Export::Epub { output, lang, root },
        } => cli::export_epub(&cli::ExportEpubArgs { root, output, lang }),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
        } => trellis::serve::serve(&trellis::serve::ServeArgs {
            root,
            port,
            bind,
            drafts,
        }),
    };
    ExitCode::from(code)
}
