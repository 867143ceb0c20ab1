#!/usr/bin/env bash
# Takes the screenshots shown in README.md: home, article, glossary and quiz
# pages of the bundled handbook, at phone (390x844) and desktop (1280x800)
# sizes, in both bundled themes, and three pages of the e-book. Needs
# Debian's chromium and unzip.
# Usage: docs/screenshots/make.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
for theme in default classic; do
  root="$work/root-$theme"
  mkdir -p "$root"
  cp -r content "$root/"
  sed "s/^theme: .*/theme: $theme/" handbook.yaml > "$root/handbook.yaml"
  ./target/release/trellis build --quiet --root "$root" --output "$work/site-$theme" 2>/dev/null
  article=$(ls -d "$work/site-$theme"/foundations/why-trust-matters)
  declare -A pages=(
    [home]="$work/site-$theme/index.html"
    [article]="$article/index.html"
    [glossary]="$work/site-$theme/glossary/index.html"
    [quiz]="$article/quiz/index.html"
  )
  for page in "${!pages[@]}"; do
    for size in 390,844 1280,800; do
      width=${size%,*}
      chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$work/profile" --window-size="$size" \
        --screenshot="$out/$theme-$page-$width.png" "file://${pages[$page]}" >/dev/null 2>&1
    done
  done
done
# The e-book (docs/epub.md): its cover, an article and its practice
# questions as a reading system shows them (the unzipped book in Chromium).
./target/release/trellis export epub --root . --output "$work/book.epub" >/dev/null
mkdir -p "$work/book" && (cd "$work/book" && unzip -q ../book.epub)
for page in cover:cover article:article-1 quiz:quiz-1; do
  chromium --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" --window-size=600,900 \
    --screenshot="$out/epub-${page%%:*}.png" "file://$work/book/EPUB/${page#*:}.xhtml" >/dev/null 2>&1
done
ls -1 "$out"/*.png
