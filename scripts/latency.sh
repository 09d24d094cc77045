#!/usr/bin/env bash
# Edit→disk latency of issue 12, dealsite and Hugo side by side on one
# generated corpus: `dealsite watch` and `hugo server` (bench/hugo,
# rendering to disk) each watch the site while bench/latency's command
# saves EDITS edits of one article's text, one at a time, and times each
# until the article's page file on disk shows it (debounce included);
# then, for dealsite only, ADDS saves adding the newest article and
# deleting it again until every listing shows the change. Prints the
# median, 90th percentile and range of each, and the ratio of the medians.
#
#   bash scripts/latency.sh [N]            # N articles, default 10000
#   EDITS=20 ADDS=10 SEED=1 bash scripts/latency.sh 1000
#   SKIP_HUGO=1 bash scripts/latency.sh 100000
#   HUGO_FLAGS=--disableFastRender bash scripts/latency.sh
#   SITE=DIR BIN=DIR bash scripts/latency.sh N   # an existing corpus and binaries (bench.sh)
#
# Hugo runs in its default fast render mode, which re-renders the edited
# page (and pages open in a browser, of which there are none) first; the
# edited page is what is timed. Not for CI: it takes minutes, and Hugo
# needs some 2 GiB at 10,000 articles.
set -euo pipefail

N=${1:-10000}
EDITS=${EDITS:-20}
ADDS=${ADDS:-10}
SEED=${SEED:-1}
cd "$(dirname "$0")/.."
repo=$PWD

hugo=$(command -v hugo || true)
[ -n "${SKIP_HUGO:-}" ] && hugo=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dealsite-latency.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

bin=${BIN:-$tmp/bin}
if [ -z "${BIN:-}" ]; then
	echo "building binaries..."
	go build -o "$bin/dealsite" ./cmd/dealsite
	go build -o "$bin/gencorpus" ./internal/corpus/cmd/gencorpus
fi
go build -o "$bin/latency" ./bench/latency/cmd/latency
site=${SITE:-}
if [ -z "$site" ]; then
	echo "generating $N articles (seed $SEED)..."
	site=$tmp/site
	"$bin/gencorpus" -n "$N" -seed "$SEED" -out "$site" >/dev/null
fi

# median_of LINE prints the median in a line of the latency command.
median_of() { sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' <<<"$1"; }

echo "watching $N articles: dealsite watch..."
ds=$("$bin/latency" -site "$site" -out "$tmp/out-dealsite" -edits "$EDITS" -adds "$ADDS" -- \
	"$bin/dealsite" watch -site "$site" -out "$tmp/out-dealsite")

if [ -n "$hugo" ]; then
	echo "watching $N articles: hugo server..."
	# Hugo 0.123 and later render to disk by default and lost the flag.
	todisk=--renderToDisk
	"$hugo" server --help 2>&1 | grep -q -- --renderToMemory && todisk=
	# shellcheck disable=SC2086 # HUGO_FLAGS is a list of flags
	hg=$("$bin/latency" -site "$site" -out "$tmp/out-hugo" -layout hugo -edits "$EDITS" -adds 0 \
		-ready '^Press Ctrl\+C to stop' -done '^Total in' -- \
		env HUGO_RESOURCEDIR="$tmp/hugo-resources" "$hugo" server $todisk --noBuildLock \
		--source "$repo/bench/hugo" --contentDir "$site/content" --destination "$tmp/out-hugo" \
		--cacheDir "$tmp/hugo-cache" --port $((20000 + RANDOM % 20000)) ${HUGO_FLAGS:-})
fi

echo
echo "edit→disk latency, $N articles (seed $SEED), $EDITS edits, debounce included"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(go version | awk '{print $3}')"
echo "dealsite watch:  ${ds//$'\n'/$'\n'dealsite watch:  }"
if [ -n "$hugo" ]; then
	echo "hugo server:     $hg ($("$hugo" version | awk '{print $2}')${HUGO_FLAGS:+ $HUGO_FLAGS})"
	awk -v a="$(median_of "$ds" | head -n 1)" -v b="$(median_of "$hg")" \
		'BEGIN {printf "dealsite/hugo:   %.2fx (median edit)\n", (b > 0 ? a / b : 0)}'
else
	why="hugo not installed"
	[ -n "${SKIP_HUGO:-}" ] && why="SKIP_HUGO is set"
	echo "hugo server:     skipped ($why)"
fi
