#!/usr/bin/env bash
# Whole-process benchmark of issue 5: builds one generated corpus with
# dealsite, the goldmark-only floor (bench/floor) and, when installed,
# Hugo (bench/hugo), alternating runs, and prints the median wall time,
# CPU time and peak RSS of each, the ratios dealsite/floor and
# dealsite/hugo, and the medians of two dealsite rebuilds into an
# existing output folder: with no change, and after editing one article.
# Then (issue 13) what dealsite built: the home page's size, the largest
# HTML file, the files over 1 MB and the sitemap files; and one run of
# dealsite check on the corpus, its time and peak RSS beside the build's.
# Last (issue 12), at the same N: the warm rebuild in process after one
# edit (BenchmarkRebuildEdit), the edit→disk latency of dealsite watch and
# hugo server (scripts/latency.sh on the same corpus), the no-op save
# test, and the whole table of issue 12 in one block.
#
#   bash scripts/bench.sh [N]            # N articles, default 10000
#   RUNS=3 SEED=7 bash scripts/bench.sh 1000
#   SKIP_HUGO=1 RUNS=1 bash scripts/bench.sh 100000
#   SKIP_LATENCY=1 bash scripts/bench.sh # no warm rebuild, latency or no-op save
#
# Needs GNU time (/usr/bin/time). Not for CI: it takes minutes and its
# figures only mean something as ratios measured in one run.
set -euo pipefail

N=${1:-10000}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
TIME=/usr/bin/time
cd "$(dirname "$0")/.."
repo=$PWD

if ! "$TIME" -f '%e %M' true >/dev/null 2>&1; then
	echo "bench.sh: GNU time is missing at $TIME: apt-get install -y time" >&2
	exit 1
fi
hugo=$(command -v hugo || true)
if [ -n "${SKIP_HUGO:-}" ]; then
	hugo= # e.g. at 100,000 articles, where Hugo needs tens of GiB
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dealsite-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "building binaries..."
go build -o "$tmp/bin/dealsite" ./cmd/dealsite
go build -o "$tmp/bin/floor" ./bench/floor
go build -o "$tmp/bin/gencorpus" ./internal/corpus/cmd/gencorpus
echo "generating $N articles (seed $SEED)..."
"$tmp/bin/gencorpus" -n "$N" -seed "$SEED" -out "$tmp/site" >/dev/null
site=$tmp/site

# measure NAME CMD...: runs CMD under GNU time, appends "wall KiB user sys"
# to $tmp/NAME.t, and stops the script with CMD's output if it fails.
measure() {
	local name=$1
	shift
	if ! "$TIME" -f '%e %M %U %S' -o "$tmp/last.t" "$@" >"$tmp/last.out" 2>&1; then
		echo "bench.sh: $name failed:" >&2
		cat "$tmp/last.out" "$tmp/last.t" >&2
		exit 1
	fi
	tail -n 1 "$tmp/last.t" >>"$tmp/$name.t"
}

# cmd_TOOL OUT sets CMD to the command line that builds the corpus into OUT.
cmd_dealsite() { CMD=("$tmp/bin/dealsite" build -quiet -site "$site" -out "$1"); }
cmd_floor() { CMD=("$tmp/bin/floor" -site "$site" -out "$1"); }
cmd_hugo() {
	CMD=(env HUGO_RESOURCEDIR="$tmp/hugo-resources" "$hugo" --quiet --noBuildLock
		--source "$repo/bench/hugo" --contentDir "$site/content" --destination "$1"
		--cacheDir "$tmp/hugo-cache")
}

# cold TOOL: a clean build into an empty folder.
cold() {
	rm -rf "$tmp/out-$1"
	"cmd_$1" "$tmp/out-$1"
	measure "$1" "${CMD[@]}"
}

tools=(dealsite floor)
[ -n "$hugo" ] && tools+=(hugo)

# The article edited for the one-article rebuild: the first published one.
edited=
while IFS= read -r f; do
	if ! grep -q '^draft: true' "$f"; then
		edited=$f
		break
	fi
done < <(find "$site/content" -name '*.md' ! -name '_index.md' | sort)
cp "$edited" "$tmp/edited.orig"

echo "warming up (one untimed build each)..."
for t in "${tools[@]}"; do
	rm -rf "$tmp/out-$t"
	"cmd_$t" "$tmp/out-$t"
	"${CMD[@]}" >/dev/null
done
rm -f "$tmp"/*.t

for ((i = 0; i < RUNS; i++)); do
	echo "run $((i + 1))/$RUNS"
	# Rotate the order so no tool always runs first or last.
	for ((j = 0; j < ${#tools[@]}; j++)); do
		cold "${tools[(i + j) % ${#tools[@]}]}"
	done
	# Rebuilds into the folder the cold dealsite run just filled, without
	# -quiet: the summary line tells how many files each one wrote.
	CMD=("$tmp/bin/dealsite" build -site "$site" -out "$tmp/out-dealsite")
	measure dealsite-nochange "${CMD[@]}"
	tail -n 1 "$tmp/last.out" >"$tmp/nochange.out"
	printf '\nEdited in run %d: the *terms* changed.\n' "$i" >>"$edited"
	measure dealsite-edit "${CMD[@]}"
	tail -n 1 "$tmp/last.out" >"$tmp/edit.out"
	cp "$tmp/edited.orig" "$edited"
done

# med: the median of the numbers on stdin, one a line.
med() {
	sort -n | awk '{v[NR] = $1} END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# col FILE COLUMN prints one column of a .t file ("wall KiB user sys").
col() { awk -v c="$2" '{print $c}' "$1"; }
median() { col "$1" "$2" | med; }

files=$(find "$site/content" -name '*.md' | wc -l)
bytes=$(find "$site/content" -name '*.md' -exec cat {} + | wc -c)
words=$(find "$site/content" -name '*.md' -exec cat {} + | wc -w)
echo
echo "corpus: $N articles (seed $SEED), $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB, $words words"
hugo_version="not installed"
[ -n "${SKIP_HUGO:-}" ] && hugo_version="skipped"
[ -n "$hugo" ] && hugo_version=$("$hugo" version | awk '{print $2}')
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version | awk '{print $3, $4}'), hugo $hugo_version"
echo "runs: $RUNS each, alternating; medians (min..max wall)"
echo
printf '%-20s %9s %9s %9s %14s\n' build wall_s cpu_s rss_MiB "wall range"
for name in "${tools[@]}" dealsite-nochange dealsite-edit; do
	f=$tmp/$name.t
	cpu=$(awk '{print $3 + $4}' "$f" | med)
	rss=$(col "$f" 2 | sort -n | awk '{k = $1} END {printf "%.0f", k / 1024}')
	range=$(col "$f" 1 | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo ".." hi}')
	printf '%-20s %9s %9s %9s %14s\n' "$name" "$(median "$f" 1)" "$cpu" "$rss" "$range"
done
echo "(rss_MiB is the highest peak RSS over the runs; cpu_s is user + sys)"
echo "last no-change rebuild: $(cat "$tmp/nochange.out")"
echo "last one-edit rebuild:  $(cat "$tmp/edit.out")"
echo
# wall NAME, cpu NAME, rss NAME: the median wall and CPU seconds and the
# highest peak RSS (KiB) of a build's runs.
wall() { median "$tmp/$1.t" 1; }
cpu() { awk '{print $3 + $4}' "$tmp/$1.t" | med; }
rss() { col "$tmp/$1.t" 2 | sort -n | tail -n 1; }
# ratios A B: dealsite-style "wall, CPU, RSS" ratios of build A to build B.
ratios() {
	awk -v w1="$(wall "$1")" -v w2="$(wall "$2")" -v c1="$(cpu "$1")" -v c2="$(cpu "$2")" \
		-v r1="$(rss "$1")" -v r2="$(rss "$2")" 'function q(a, b) {return b > 0 ? a / b : 0}
		BEGIN {printf "%.2fx wall, %.2fx CPU, %.2fx peak RSS", q(w1, w2), q(c1, c2), q(r1, r2)}'
}
echo "dealsite/floor: $(ratios dealsite floor) (target <= 1.25 wall)"
if [ -n "$hugo" ]; then
	echo "dealsite/hugo:  $(ratios dealsite hugo) (target <= 0.5 wall)"
else
	why="hugo not installed: apt-get install -y hugo"
	[ -n "${SKIP_HUGO:-}" ] && why="SKIP_HUGO is set"
	echo "dealsite/hugo:  skipped ($why)"
fi

echo
echo "what dealsite built ($tmp/out-dealsite):"
out=$tmp/out-dealsite
largest=$(find "$out" -name '*.html' -printf '%s %P\n' | sort -n | tail -n 1)
echo "  home page:        $(stat -c %s "$out/index.html") bytes (index.html)"
echo "  largest HTML:     ${largest% *} bytes (${largest#* })"
echo "  HTML over 1 MB:   $(find "$out" -name '*.html' -size +1024k | wc -l) files"
echo "  HTML files:       $(find "$out" -name '*.html' | wc -l)"
echo "  sitemap files:    $(find "$out" -maxdepth 1 -name 'sitemap*.xml' | wc -l) ($(grep -c '<sitemap>' "$out/sitemap.xml" || true) listed by sitemap.xml)"
echo "  timeline.json:    $(stat -c %s "$out/timeline.json") bytes; events.ndjson $(stat -c %s "$out/events.ndjson") bytes"
# check exits 1 on errors; a generated corpus has warnings only.
measure dealsite-check "$tmp/bin/dealsite" check -site "$site"
echo "  dealsite check:   $(col "$tmp/dealsite-check.t" 1) s wall, $(awk '{printf "%.0f", $2 / 1024}' "$tmp/dealsite-check.t") MiB peak RSS ($(tail -n 1 "$tmp/last.out"))"
echo "  check/build:      $(awk -v a="$(col "$tmp/dealsite-check.t" 1)" -v b="$(median "$tmp/dealsite.t" 1)" 'BEGIN {printf "%.2f", a / b}')x wall (target <= 2)"

[ -n "${SKIP_LATENCY:-}" ] && exit 0

# Issue 12: the incremental figures at the same N.
echo
echo "warm rebuild in process after one edit (BenchmarkRebuildEdit/n=$N, its own corpus of seed 1)..."
warm=$(DEALSITE_BENCH_N=$N go test -run '^$' -bench "RebuildEdit/n=$N\$" -benchtime 10x -timeout 2h ./internal/build |
	awk '/^BenchmarkRebuildEdit/ {printf "%.1f", $3 / 1e6}')
echo "edit→disk latency on this corpus (scripts/latency.sh)..."
lat=$(SITE="$site" BIN="$tmp/bin" bash scripts/latency.sh "$N" | sed -n '/^edit→disk/,$p')
echo "$lat"
noop="no rebuild (TestWatchNoOpSaveRebuildsNothing passes)"
go test -count=1 -run 'TestWatchNoOpSaveRebuildsNothing$' ./cmd/dealsite >"$tmp/noop.out" 2>&1 ||
	noop="REBUILDS: $(grep -m 1 'batches rebuilt' "$tmp/noop.out" || tail -n 1 "$tmp/noop.out")"

# field LABEL: the median of one line of the latency output.
field() { sed -n "s/^$1.*median \([0-9.]*\) ms, p90 \([0-9.]*\) ms.*/\1 ms (p90 \2 ms)/p" <<<"$lat" | head -n 1; }
echo
row() { printf '  %-52s %s\n' "$1" "$2"; }
echo "issue 12 table, $N articles (seed $SEED), load average $(cut -d' ' -f1-3 /proc/loadavg):"
row "edit article text to its page on disk, median of ${EDITS:-20}:" "$(field 'dealsite watch:  edit')"
[ -n "$hugo" ] && row "  hugo server, same edits:" "$(field 'hugo server:')"
row "add or delete an article, every listing updated:" "$(field 'dealsite watch:  add-delete')"
row "warm rebuild after one text edit, in process:" "$warm ms"
row "no-op save (touch, same bytes):" "$noop"
row "clean build, dealsite / floor:" "$(ratios dealsite floor)"
row "peak RSS, clean build:" "$(awk -v k="$(rss dealsite)" 'BEGIN {printf "%.0f", k / 1024}') MiB"
[ -n "$hugo" ] && row "clean build, dealsite / hugo:" "$(ratios dealsite hugo)"
exit 0
