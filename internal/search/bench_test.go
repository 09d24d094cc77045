package search

import (
	"compress/gzip"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/internal/site"
)

// go test -run '^$' -bench . -benchmem ./internal/search

var (
	corpusMu    sync.Mutex
	corpusSites = map[int]*site.Site{}
)

// corpusSite is the generated corpus of n articles, modelled.
func corpusSite(tb testing.TB, n int) *site.Site {
	tb.Helper()
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if s, ok := corpusSites[n]; ok {
		return s
	}
	c, err := content.Load(corpus.Generate(n, 1))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := site.New(c, site.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	corpusSites[n] = s
	return s
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			if n > 1000 && testing.Short() {
				b.Skip("-short")
			}
			s := corpusSite(b, n)
			b.ResetTimer()
			for b.Loop() {
				if _, err := Build(s, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRebuild is a build with every article's entry cached, as in
// watch after an edit of one article.
func BenchmarkRebuild(b *testing.B) {
	s := corpusSite(b, 10000)
	if testing.Short() {
		b.Skip("-short")
	}
	cache := NewCache()
	if _, err := Build(s, cache); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(s, cache); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStats(t *testing.T) {
	if os.Getenv("SEARCH_STATS") == "" {
		t.Skip()
	}
	s := corpusSite(t, 10000)
	files, err := Build(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	var raw, gz, shards, chunks, maxShard int
	for _, f := range files {
		raw += len(f.Bytes())
		n := gzLen(f.Bytes())
		gz += n
		if strings.HasPrefix(f.Path, Dir+"t/") {
			shards++
			if n > maxShard {
				maxShard = n
			}
			if n > 20000 {
				t.Logf("big shard %s raw %d gz %d", f.Path, len(f.Bytes()), n)
			}
		} else if strings.HasPrefix(f.Path, Dir+"d/") {
			chunks++
		} else {
			t.Logf("%s raw %d gz %d", f.Path, len(f.Bytes()), n)
		}
	}
	t.Logf("files %d shards %d chunks %d raw %d gz %d max shard gz %d", len(files), shards, chunks, raw, gz, maxShard)
}

func gzLen(b []byte) int {
	var c countWriter
	w, _ := gzip.NewWriterLevel(&c, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return int(c)
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

var _ = io.Discard
