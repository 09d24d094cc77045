package search

import (
	"strconv"
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
