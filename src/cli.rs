//! What each command does, behind the thin `main.rs`: finding the root,
//! running the pipeline and printing diagnostics in one format.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::build_cache::BuildCache;
use crate::config::find_root;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::pipeline::unchanged::{Inputs, Record};
use crate::site::{LoadOptions, Site};

/// Exit status: success.
pub const OK: u8 = 0;
/// Exit status: content errors.
pub const CONTENT_ERROR: u8 = 1;
/// Exit status: bad usage.
pub const USAGE_ERROR: u8 = 2;

/// `trellis build` arguments.
#[derive(Debug, Clone, Default)]
pub struct BuildArgs {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `--output`.
    pub output: Option<PathBuf>,
    /// `--drafts`.
    pub drafts: bool,
    /// `--quiet`.
    pub quiet: bool,
    /// `--timings`: print the time of each step, and what came from the
    /// build cache.
    pub timings: bool,
}

/// Finds the handbook root: `--root` as given, else the nearest folder upward
/// holding `handbook.yaml`, shown relative to the current folder.
pub fn resolve_root(root: Option<&Path>) -> Result<PathBuf, String> {
    match root {
        Some(r) if r.join(crate::config::CONFIG_FILE).is_file() => Ok(r.to_path_buf()),
        Some(r) => Err(format!(
            "{} has no {}: it is not a handbook root",
            r.display(),
            crate::config::CONFIG_FILE
        )),
        None => {
            let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
            let found = find_root(&cwd).ok_or_else(|| {
                format!(
                    "no {} here or in any folder above; run inside a handbook, pass --root, or create one with `trellis init`",
                    crate::config::CONFIG_FILE
                )
            })?;
            Ok(match found.strip_prefix(&cwd) {
                Ok(rel) if rel.as_os_str().is_empty() => PathBuf::new(),
                Ok(rel) => rel.to_path_buf(),
                Err(_) => found,
            })
        }
    }
}

/// Runs `trellis build`; returns the exit status.
pub fn build(args: &BuildArgs) -> u8 {
    let root = match resolve_root(args.root.as_deref()) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return USAGE_ERROR;
        }
    };
    let start = std::time::Instant::now();
    crate::output::clean_up_on_signals();
    let progress = crate::progress::Progress::start(args.quiet);
    progress.step("Reading and checking the handbook");
    let options = LoadOptions {
        root: root.clone(),
        drafts: args.drafts,
        ..Default::default()
    };
    // What this build reads, taken before it reads it.
    let inputs = Inputs::of(&options);
    let took = start.elapsed();
    // Where the site goes, as far as handbook.yaml tells before the load.
    let known_output = checked_output(&root, args);
    if let Some((output, record)) = inputs
        .as_ref()
        .zip(known_output.as_deref())
        .and_then(|(inputs, output)| unchanged_output(output, inputs))
    {
        progress.finish();
        report_unchanged(&output, &record, args, start);
        if args.timings {
            print_timings(&[("inputs", took)]);
        }
        return OK;
    }
    // The load takes the articles and quizzes the digest read, renders
    // through the cache the last build into that output kept, and frees
    // each article's markdown once it is rendered.
    let options = LoadOptions {
        read_ahead: inputs.as_ref().map(Inputs::read_ahead).unwrap_or_default(),
        drop_sources: true,
        cache: known_output
            .as_deref()
            .map(BuildCache::open)
            .unwrap_or_default(),
        ..options
    };
    let loaded = Site::load(&options)
        .and_then(|site| Ok((crate::pipeline::load::languages(&options, &site)?, site)));
    options.read_ahead.release();
    let (mut languages, mut site) = match loaded {
        Ok(loaded) => loaded,
        Err(diags) => {
            progress.finish();
            return report_failure(diags);
        }
    };
    progress.step("Rendering and writing the site");
    for site in std::iter::once(&mut site).chain(&mut languages) {
        site.drop_sources();
    }
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| root.join(&site.handbook.config.output_dir));
    if args.output.is_none() {
        if let Err(refusal) = crate::output::check(&root, &output) {
            return report_failure(Diagnostics(vec![output_dir_refused(&root, &refusal)]));
        }
    }
    let built = site.build_with(&output, &mut languages);
    if let (Ok(report), Some(inputs)) = (&built, &inputs) {
        crate::pipeline::unchanged::remember(&output, inputs, report);
    }
    if built.is_ok() {
        options.cache.finish();
    } else {
        options.cache.abandon();
    }
    // The process ends next: freeing every page's values one by one would
    // only add to the wait, in proportion to the handbook.
    std::mem::forget(site);
    std::mem::forget(languages);
    progress.finish();
    match built {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            if !args.quiet {
                println!(
                    "Built {} files into {} in {} ms{}",
                    report.files,
                    output.display(),
                    start.elapsed().as_millis(),
                    warning_suffix(&report.warnings)
                );
            }
            if args.timings {
                print_timings(&[("inputs", took)]);
                print_timings(&report.timings);
                if options.cache.is_on() {
                    println!(
                        "  build cache: {} found, {} made (article bodies and search terms)",
                        options.cache.found(),
                        options.cache.added()
                    );
                } else if let Some(why) = options.cache.off_because() {
                    println!("  build cache: off: {why}");
                }
            }
            OK
        }
        Err(diags) => report_failure(diags),
    }
}

/// `--timings`: a line a step.
fn print_timings(steps: &[(&str, std::time::Duration)]) {
    for (step, took) in steps {
        println!("  {step:<18} {:>8.1} ms", took.as_secs_f64() * 1000.0);
    }
}

/// The output and its last build's record, when the output already holds
/// what this build would make from `inputs` ([`crate::pipeline::unchanged`]).
fn unchanged_output(output: &Path, inputs: &Inputs) -> Option<(PathBuf, Record)> {
    let record = crate::pipeline::unchanged::last_build(output, inputs)?;
    Some((output.to_path_buf(), record))
}

/// The output folder a build writes, when `handbook.yaml` can be read to
/// tell and it is a folder Trellis may write.
fn checked_output(root: &Path, args: &BuildArgs) -> Option<PathBuf> {
    let output = match &args.output {
        Some(output) => output.clone(),
        None => root.join(crate::pipeline::load::config(root).ok()?.output_dir),
    };
    crate::output::check(root, &output).ok()?;
    Some(output)
}

/// Says what the last build said, for a build that found nothing changed.
fn report_unchanged(output: &Path, record: &Record, args: &BuildArgs, start: std::time::Instant) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for warning in &record.printed {
        let _ = writeln!(err, "{warning}");
    }
    if !args.quiet {
        println!(
            "Nothing changed since the last build: {} files in {} ({} ms){}",
            record.files,
            output.display(),
            start.elapsed().as_millis(),
            count_suffix(record.warnings)
        );
    }
}

/// A refused `output_dir` from handbook.yaml, pointing at where it is written there.
fn output_dir_refused(root: &Path, refusal: &crate::output::Refusal) -> Diagnostic {
    let file = root.join(crate::config::CONFIG_FILE);
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let line = crate::yaml::key_line(&text, 1, text.lines().count(), "output_dir").unwrap_or(1);
    let column = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.find("output_dir"))
        .map_or(1, |c| c + 1);
    Code::OutputRefused
        .error(file, line, column, refusal.to_string())
        .with_help("set `output_dir` to a folder of its own, e.g. `output_dir: public`")
}

fn warning_suffix(d: &Diagnostics) -> String {
    count_suffix(d.warnings().count())
}

/// " (n warnings)" after a build's summary line; nothing for none.
fn count_suffix(warnings: usize) -> String {
    match warnings {
        0 => String::new(),
        1 => " (1 warning)".into(),
        n => format!(" ({n} warnings)"),
    }
}

/// Prints every diagnostic and a count; returns the content-error status.
pub fn report_failure(mut diags: Diagnostics) -> u8 {
    diags.sort();
    print_diagnostics(&diags);
    let n = diags.errors().count();
    eprintln!(
        "error: the build failed with {n} error{}; nothing was written",
        if n == 1 { "" } else { "s" }
    );
    CONTENT_ERROR
}

/// Prints diagnostics to stderr, one `file:line:col: severity: message` each.
pub fn print_diagnostics(diags: &Diagnostics) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in &diags.0 {
        let _ = writeln!(out, "{d}");
    }
}

/// One diagnostic as the CLI prints it.
pub fn format_diagnostic(d: &Diagnostic) -> String {
    d.to_string()
}

/// `trellis export quizzes` arguments.
#[derive(Debug, Clone)]
pub struct ExportQuizzesArgs {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `--format`.
    pub format: crate::quiz::export::Format,
    /// `--lang`: the handbook's own language (the default) or one of `languages:`.
    pub lang: Option<String>,
    /// `--output` (`-` for standard output); default `quizzes.gift` or
    /// `quizzes-qti.zip` in the current folder.
    pub output: Option<PathBuf>,
}

/// Runs `trellis export quizzes`: loads and checks the handbook like `build`,
/// then writes every quiz as GIFT or a QTI 2.1 zip. Returns the exit status.
pub fn export_quizzes(args: &ExportQuizzesArgs) -> u8 {
    let site = match load_for_export(args.root.as_deref(), args.lang.as_deref()) {
        Ok(site) => site,
        Err(status) => return status,
    };
    print_diagnostics(&site.warnings);
    if site.quizzes.is_empty() {
        eprintln!("error: this handbook has no quizzes (*.quiz.yaml files in content/) to export");
        return CONTENT_ERROR;
    }
    let bytes = match crate::quiz::export::export_site(&site.quizzes, args.format) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot make the export: {e}");
            return CONTENT_ERROR;
        }
    };
    let questions: usize = site.quizzes.iter().map(|q| q.quiz.questions.len()).sum();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(args.format.default_file_name()));
    if output.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
            eprintln!("error: cannot write the export: {e}");
            return CONTENT_ERROR;
        }
        return OK;
    }
    if let Err(e) = std::fs::write(&output, &bytes) {
        eprintln!("error: cannot write {}: {e}", output.display());
        return CONTENT_ERROR;
    }
    println!(
        "Exported {questions} questions from {} quizzes to {}",
        site.quizzes.len(),
        output.display()
    );
    OK
}

/// The handbook at `root` (or found upward), loaded and checked as `build`
/// does, for an export, in `lang` (its own language when `None`, or one of
/// `languages:`); or the exit status after its errors were printed.
fn load_for_export(root: Option<&Path>, lang: Option<&str>) -> Result<Site, u8> {
    let root = resolve_root(root).map_err(|message| {
        eprintln!("error: {message}");
        USAGE_ERROR
    })?;
    let options = LoadOptions {
        root,
        drafts: false,
        ..Default::default()
    };
    let site = Site::load(&options).map_err(report_failure)?;
    let config = &site.handbook.config;
    match lang {
        None => Ok(site),
        Some(lang) if *lang == config.language => Ok(site),
        Some(lang) if config.languages.contains_key(lang) => {
            crate::pipeline::load::load_in(&options, Some(lang))
                .into_result()
                .map_err(report_failure)
        }
        Some(lang) => {
            let known: Vec<&str> = config.all_languages().collect();
            eprintln!(
                "error: --lang {lang}: this handbook is written in {}; pass one of them, or declare `{lang}` under `languages:` in handbook.yaml",
                known.join(", ")
            );
            Err(USAGE_ERROR)
        }
    }
}

/// `trellis export epub` arguments.
#[derive(Debug, Clone, Default)]
pub struct ExportEpubArgs {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `--output` (`-` for standard output); default `<slug of the title>.epub`
    /// in the current folder.
    pub output: Option<PathBuf>,
    /// `--lang`: the handbook's own language (the default) or one of `languages:`.
    pub lang: Option<String>,
}

/// Runs `trellis export epub`: loads and checks the handbook like `build`,
/// then writes it as one EPUB 3 book (see `src/epub/`). Returns the exit status.
pub fn export_epub(args: &ExportEpubArgs) -> u8 {
    let site = match load_for_export(args.root.as_deref(), args.lang.as_deref()) {
        Ok(site) => site,
        Err(status) => return status,
    };
    print_diagnostics(&site.warnings);
    let bytes = match crate::epub::make(&site) {
        Ok(b) => b,
        Err(diags) => return report_failure(diags),
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::epub::file_name(&site.handbook.config)));
    if output.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
            eprintln!("error: cannot write the e-book: {e}");
            return CONTENT_ERROR;
        }
        return OK;
    }
    if let Err(d) = crate::epub::write_file(&output, &bytes) {
        return report_failure(Diagnostics(vec![d]));
    }
    println!(
        "Wrote {} ({} kB): {} articles, {} quizzes",
        output.display(),
        bytes.len().div_ceil(1000),
        site.handbook.articles.len(),
        site.quizzes.len()
    );
    OK
}

/// How `trellis check` prints its report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CheckFormat {
    /// `file:line:col: warning: …` lines, a readability table and a summary.
    #[default]
    Text,
    /// The JSON report documented in docs/check.md.
    Json,
}

/// `trellis check` arguments.
#[derive(Debug, Clone, Default)]
pub struct CheckArgs {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `--format`.
    pub format: CheckFormat,
    /// `--drafts`.
    pub drafts: bool,
}

/// Runs `trellis check`: prints the report to standard output; returns 1
/// when there are errors, 0 with warnings only.
pub fn check(args: &CheckArgs) -> u8 {
    let root = match resolve_root(args.root.as_deref()) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return USAGE_ERROR;
        }
    };
    let report = crate::check::run(&crate::check::CheckOptions {
        root,
        drafts: args.drafts,
        today: chrono::Local::now().date_naive(),
    });
    let text = match args.format {
        CheckFormat::Text => report.to_text(),
        CheckFormat::Json => report.to_json(),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if report.errors() > 0 {
        CONTENT_ERROR
    } else {
        OK
    }
}

/// Runs `trellis init DIR`; returns the exit status (1 when it refuses).
pub fn init(dir: &Path) -> u8 {
    match crate::scaffold::init(dir) {
        Ok(files) => {
            println!(
                "Created a handbook in {} ({} files).",
                dir.display(),
                files.len()
            );
            println!(
                "Next: `cd {}`, then `trellis serve` to see it, or `trellis check`.",
                dir.display()
            );
            OK
        }
        Err(refusal) => {
            eprintln!("error: {refusal}");
            CONTENT_ERROR
        }
    }
}

/// `trellis new article` arguments.
#[derive(Debug, Clone, Default)]
pub struct NewArticleArgs {
    /// `--root`.
    pub root: Option<PathBuf>,
    /// `PART/SLUG`.
    pub path: String,
    /// `--title`.
    pub title: String,
}

/// Runs `trellis new article`; returns the exit status (1 when it refuses).
pub fn new_article(args: &NewArticleArgs) -> u8 {
    let root = match resolve_root(args.root.as_deref()) {
        Ok(r) => r,
        Err(message) => {
            eprintln!("error: {message}");
            return USAGE_ERROR;
        }
    };
    match crate::scaffold::new_article(&root, &args.path, &args.title) {
        Ok(created) => {
            for part in &created.new_parts {
                println!("Created {} (a new part)", part.display());
            }
            println!("Created {}", created.article.display());
            println!("Created {} (empty: add questions)", created.quiz.display());
            println!("Next: write its summary and text; `trellis check` lists what is left.");
            OK
        }
        Err(refusal) => {
            eprintln!("error: {refusal}");
            CONTENT_ERROR
        }
    }
}

/// Runs `trellis import KIND SOURCE --output DIR`: prints the report
/// (also written as `IMPORT-REPORT.md`) and returns 0; 1 when the source
/// has errors or the output is refused; 2 when SOURCE is not a book of
/// that kind.
pub fn import(options: &crate::import::Options) -> u8 {
    use crate::import::Failure;
    match crate::import::import(options) {
        Ok(done) => {
            println!(
                "Imported {} {} into {}: {} article{} in {} part{}, {} file{} copied.",
                options.kind.description(),
                options.source.display(),
                options.output.display(),
                done.articles,
                if done.articles == 1 { "" } else { "s" },
                done.parts,
                if done.parts == 1 { "" } else { "s" },
                done.copied,
                if done.copied == 1 { "" } else { "s" },
            );
            if done.report.items.is_empty() {
                println!("Everything was carried over.");
            } else {
                let n = done.report.items.len();
                println!(
                    "{n} thing{} could not be carried over (also in {}):",
                    if n == 1 { "" } else { "s" },
                    done.report_file.display()
                );
                for item in &done.report.items {
                    println!("  {item}");
                }
            }
            println!(
                "Next: `trellis serve --root {}` to read it, and `trellis check --root {}` for what is left.",
                options.output.display(),
                options.output.display()
            );
            OK
        }
        Err(Failure::Usage { message, help }) => {
            eprintln!("error: {message}");
            if let Some(help) = help {
                eprintln!("  help: {help}");
            }
            USAGE_ERROR
        }
        Err(Failure::Refused { message, help }) => {
            eprintln!("error: {message}");
            if let Some(help) = help {
                eprintln!("  help: {help}");
            }
            CONTENT_ERROR
        }
        Err(Failure::Source(mut diags)) => {
            diags.sort();
            print_diagnostics(&diags);
            let n = diags.errors().count();
            eprintln!(
                "error: the import stopped with {n} error{} in the source; nothing was written",
                if n == 1 { "" } else { "s" }
            );
            CONTENT_ERROR
        }
    }
}
