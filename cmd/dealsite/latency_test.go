package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dealsite/dealsite/bench/latency"
	"github.com/dealsite/dealsite/internal/corpus"
)

// BenchmarkEditToOutput measures what an editor waits for, through the
// real `dealsite watch` (fsnotify, debounce, rebuild, write), on the
// bundled site, a generated corpus of 10,000 articles (skipped with
// -short) and one of 100,000 (only with DEALSITE_BENCH_100K=1: generating
// and building it takes minutes and a GiB). On each site, one watch
// process serves three cases:
//
//   - edit: 20 saves of an article with one more paragraph at the end of
//     its text, each timed until its page on disk shows it;
//   - edit-summary: the same with a new first paragraph, which is also
//     the article's summary on every listing (unless it sets one);
//   - add-delete: 10 saves, adding the site's newest article and deleting
//     it again, alternately, each timed until its page and every listing
//     it belongs to show the change (see latency.AddDelete).
//
// ns/op is the median save; ms/edit-median and ms/edit-p90 say the same
// in milliseconds with the 90th percentile; add-delete also reports
// ms/add-median and ms/delete-median. Each save waits for the previous
// rebuild to finish. Run it with
//
//	go test -run '^$' -bench EditToOutput -benchtime 1x ./cmd/dealsite
//	DEALSITE_BENCH_100K=1 go test -run '^$' -bench 'EditToOutput/corpus-100k' -benchtime 1x -timeout 1h ./cmd/dealsite
func BenchmarkEditToOutput(b *testing.B) {
	b.Run("bundled", func(b *testing.B) {
		site := b.TempDir()
		if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
			b.Fatal(err)
		}
		latencyCases(b, site)
	})
	for _, n := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("corpus-%dk", n/1000), func(b *testing.B) {
			if testing.Short() {
				b.Skip("generated corpora take minutes; run without -short")
			}
			if n > 10000 && os.Getenv("DEALSITE_BENCH_100K") == "" {
				b.Skip("set DEALSITE_BENCH_100K=1 to generate and watch 100,000 articles")
			}
			site := b.TempDir()
			if err := corpus.WriteDir(site, n, 1); err != nil {
				b.Fatal(err)
			}
			latencyCases(b, site)
		})
	}
}

// latencyCases starts `dealsite watch` on site and runs the three cases
// of BenchmarkEditToOutput against it.
func latencyCases(b *testing.B, site string) {
	out := filepath.Join(b.TempDir(), "public")
	p := startProc(b, "watch", "-site", site, "-out", out)
	p.waitLinesWithin(regexp.MustCompile(`^Watching`), 1, 30*time.Minute) // the first build of 100k takes minutes, many on a busy machine
	article, err := latency.FirstArticle(site)
	if err != nil {
		b.Fatal(err)
	}
	page := filepath.Join(out, latency.DealsitePage(article))
	for _, c := range []struct {
		name    string
		measure func(latency.Options) ([]time.Duration, error)
	}{
		{"edit", func(o latency.Options) ([]time.Duration, error) { return latency.Edits(article, page, 20, false, o) }},
		{"edit-summary", func(o latency.Options) ([]time.Duration, error) { return latency.Edits(article, page, 20, true, o) }},
		{"add-delete", func(o latency.Options) ([]time.Duration, error) { return latency.AddDelete(site, out, 10, o) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				d, err := c.measure(latency.Options{Settle: p.settle()})
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, d...)
			}
			reportLatency(b, took, c.name == "add-delete")
			reportMemory(b, p.cmd.Process.Pid)
		})
	}
	p.stop()
}

// settle returns a latency.Options.Settle that waits until watch has
// printed one more "Built" line per save since it was made: the rebuild
// a save started is over.
func (p *proc) settle() func(int) error {
	before := p.count(builtLine)
	return func(saves int) error {
		p.waitLinesWithin(builtLine, before+saves, 10*time.Minute)
		return nil
	}
}

// reportLatency reports the median save as ns/op and in milliseconds with
// the 90th percentile; for alternating additions and deletions, the
// median of each too.
// reportMemory reports the watch process's resident memory, now and at
// its peak so far (VmRSS and VmHWM of /proc/PID/status), where there is
// a /proc.
func reportMemory(b *testing.B, pid int) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return // not Linux
	}
	for line := range strings.Lines(string(status)) {
		name, value, _ := strings.Cut(line, ":")
		unit := map[string]string{"VmRSS": "MiB-rss", "VmHWM": "MiB-rss-peak"}[name]
		if kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(value), " kB")); err == nil && unit != "" {
			b.ReportMetric(float64(kb)/1024, unit)
		}
	}
}

func reportLatency(b *testing.B, took []time.Duration, addDelete bool) {
	msOf := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(float64(latency.Median(took).Nanoseconds()), "ns/op")
	b.ReportMetric(msOf(latency.Median(took)), "ms/edit-median")
	b.ReportMetric(msOf(latency.Percentile(took, 90)), "ms/edit-p90")
	if addDelete {
		var adds, deletes []time.Duration
		for i, d := range took {
			if i%2 == 0 {
				adds = append(adds, d)
			} else {
				deletes = append(deletes, d)
			}
		}
		b.ReportMetric(msOf(latency.Median(adds)), "ms/add-median")
		b.ReportMetric(msOf(latency.Median(deletes)), "ms/delete-median")
	}
	b.Logf("%s", latency.Summary(took))
}
