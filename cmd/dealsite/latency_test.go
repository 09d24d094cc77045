package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dealsite/dealsite/internal/corpus"
)

// BenchmarkEditToOutput measures what an editor waits for: the time from
// saving an article to its page in the output folder showing the edit,
// through the real `dealsite watch` (fsnotify, debounce, rebuild, write).
// It makes 20 edits and reports their median. Run it with
//
//	go test -run '^$' -bench EditToOutput -benchtime 1x ./cmd/dealsite
//
// The 10,000-article case takes minutes and runs only without -short.
func BenchmarkEditToOutput(b *testing.B) {
	b.Run("bundled", func(b *testing.B) {
		site := b.TempDir()
		if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS("../../content")); err != nil {
			b.Fatal(err)
		}
		editLatency(b, site, "content/2013-09-03-microsoft-buys-nokia-devices.md", "articles/microsoft-buys-nokia-devices/index.html")
	})
	b.Run("corpus-10k", func(b *testing.B) {
		if testing.Short() {
			b.Skip("the 10,000-article corpus takes minutes; run without -short")
		}
		site := b.TempDir()
		if err := corpus.WriteDir(site, 10000, 1); err != nil {
			b.Fatal(err)
		}
		article, page := pickArticle(b, site)
		editLatency(b, site, article, page)
	})
}

// pickArticle finds a published article file of a generated corpus and
// its page.
func pickArticle(b *testing.B, site string) (string, string) {
	var found string
	filepath.WalkDir(filepath.Join(site, "content"), func(p string, d os.DirEntry, err error) error {
		if found == "" && err == nil && strings.HasSuffix(p, ".md") && !strings.HasPrefix(d.Name(), "_") {
			data, _ := os.ReadFile(p)
			if !strings.Contains(string(data), "draft: true") && !strings.Contains(string(data), "slug:") {
				found = p
			}
		}
		return nil
	})
	if found == "" {
		b.Fatal("no article found")
	}
	rel, _ := filepath.Rel(site, found)
	slug := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-`).ReplaceAllString(strings.TrimSuffix(filepath.Base(found), ".md"), "")
	return filepath.ToSlash(rel), "articles/" + slug + "/index.html"
}

func editLatency(b *testing.B, site, article, page string) {
	out := filepath.Join(b.TempDir(), "public")
	p := startProc(b, "watch", "-site", site, "-out", out, "-quiet")
	p.waitLines(regexp.MustCompile(`^Watching`), 1)
	src, err := os.ReadFile(filepath.Join(site, article))
	if err != nil {
		b.Fatal(err)
	}
	var latencies []time.Duration
	for b.Loop() {
		latencies = latencies[:0]
		for i := range 20 {
			marker := fmt.Sprintf("edit-marker-%d-%d", i, time.Now().UnixNano())
			edited := strings.Replace(string(src), "\n---\n", "\n---\n"+marker+"\n\n", 1)
			start := time.Now()
			if err := os.WriteFile(filepath.Join(site, article), []byte(edited), 0o644); err != nil {
				b.Fatal(err)
			}
			p.waitFor("the edit in "+page, fileContains(filepath.Join(out, page), marker))
			latencies = append(latencies, time.Since(start))
		}
	}
	slices.Sort(latencies)
	median := latencies[len(latencies)/2]
	b.ReportMetric(float64(median.Microseconds())/1000, "ms/edit-median")
	b.ReportMetric(float64(latencies[len(latencies)-1].Microseconds())/1000, "ms/edit-max")
	p.stop()
}
