package check

import (
	"context"
	"strconv"
	"testing"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/corpus"
	"github.com/dealsite/dealsite/layouts"
	"github.com/dealsite/dealsite/static"
)

// BenchmarkSite checks a generated site of 2,000 articles with 2,000
// drafts named: the cost must grow with the links, not with links times
// drafts. Run it with
//
//	go test -run '^$' -bench Site ./internal/check
func BenchmarkSite(b *testing.B) {
	out, err := build.Build(context.Background(), corpus.Generate(2000, 1), build.Options{Theme: build.Theme{Layouts: layouts.FS, Static: static.FS}})
	if err != nil {
		b.Fatal(err)
	}
	var drafts []string
	for i := range 2000 {
		drafts = append(drafts, "articles/draft-"+strconv.Itoa(i)+"/")
	}
	b.ResetTimer()
	for b.Loop() {
		if l := Site(out, drafts); l.Errors() > 0 {
			b.Fatal(l)
		}
	}
}
