#!/usr/bin/env bash
# Lighthouse on the bundled site (issue 15: 100 in every category on the
# timeline and an article; the timeline under 60 KB over the wire before
# lazy images). Builds the bundled site, serves the built folder with
# bench/lighthouse/serve.mjs (gzip and a Cache-Control header, as a
# static host would; not `dealsite serve`, which injects its reload
# script), and runs the pinned Lighthouse with Debian's Chromium on three
# pages, with the mobile and the desktop presets: the timeline (home
# page), the first article with a picture and the first without. Prints
# the four category scores and the bytes transferred for each, then the
# audits that cost points. Exits 1 if any score is below 100.
#
#   (cd bench/lighthouse && npm ci)   # once
#   bash scripts/lighthouse.sh
#   PORT=8778 REPORTS=DIR bash scripts/lighthouse.sh   # keep the JSON reports in DIR
#
# Not for CI: the performance score depends on the machine's CPU and load.
set -euo pipefail

PORT=${PORT:-8777}
cd "$(dirname "$0")/.."
repo=$PWD
lh=$repo/bench/lighthouse/node_modules/.bin/lighthouse
if [ ! -x "$lh" ]; then
	echo "lighthouse.sh: Lighthouse is missing: (cd bench/lighthouse && npm ci)" >&2
	exit 1
fi
CHROME_PATH=${CHROME_PATH:-$(command -v chromium || true)}
if [ -z "$CHROME_PATH" ]; then
	echo "lighthouse.sh: Chromium is missing: apt-get install -y chromium" >&2
	exit 1
fi
export CHROME_PATH

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dealsite-lighthouse.XXXXXX")
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
reports=${REPORTS:-$tmp/reports}
mkdir -p "$reports"

base=http://127.0.0.1:$PORT/
echo "building the bundled site for $base..."
go run -tags nodynamic ./cmd/dealsite build -quiet -base-url "$base" -out "$tmp/public"

node bench/lighthouse/serve.mjs "$tmp/public" "$PORT" &
server=$!
for ((i = 0; i < 100; i++)); do
	curl -fsS -o /dev/null "$base" 2>/dev/null && break
	sleep 0.1
done
curl -fsS -o /dev/null "$base"

# The pages: the timeline, and the first article (in name order) with an
# <img> and the first without.
pictured= plain=
for f in "$tmp"/public/articles/*/index.html; do
	slug=$(basename "$(dirname "$f")")
	if grep -q '<img' "$f"; then
		pictured=${pictured:-$slug}
	else
		plain=${plain:-$slug}
	fi
done
pages=(timeline:"" pictured:"articles/$pictured/" plain:"articles/$plain/")

files=()
for p in "${pages[@]}"; do
	name=${p%%:*} path=${p#*:}
	for preset in mobile desktop; do
		flags=()
		[ "$preset" = desktop ] && flags=(--preset=desktop)
		echo "lighthouse $preset $base$path"
		"$lh" "$base$path" "${flags[@]}" --quiet --output=json \
			--output-path="$reports/$name.$preset.json" \
			--only-categories=performance,accessibility,best-practices,seo \
			--chrome-flags="--headless=new --no-sandbox"
		files+=("$reports/$name.$preset.json")
	done
done

echo
echo "Lighthouse $("$lh" --version), $(chromium --version 2>/dev/null | head -n 1)"
echo "pictured: articles/$pictured/, plain: articles/$plain/"
node bench/lighthouse/summary.mjs "${files[@]}"
