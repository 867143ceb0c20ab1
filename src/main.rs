//! The `trellis` command line: parses arguments, calls the library, prints
//! diagnostics and sets the exit status (0 ok, 1 content errors, 2 bad usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use trellis::cli;

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
    },
    /// Export content for other tools.
    Export {
        #[command(subcommand)]
        what: Export,
    },
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
        /// The handbook root (default: the nearest folder upward holding handbook.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum QuizFormat {
    Gift,
    Qti,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            quiet,
        } => cli::build(&cli::BuildArgs {
            root,
            output,
            drafts,
            quiet,
        }),
        Command::Export {
            what:
                Export::Quizzes {
                    format,
                    output,
                    root,
                },
        } => cli::export_quizzes(&cli::ExportQuizzesArgs {
            root,
            format: match format {
                QuizFormat::Gift => trellis::quiz::export::Format::Gift,
                QuizFormat::Qti => trellis::quiz::export::Format::Qti,
            },
            output,
        }),
    };
    ExitCode::from(code)
}
