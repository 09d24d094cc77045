package content_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/corpus"
)

// BenchmarkFrontMatter measures reading front matter: the articles of
// the generated 10,000-article corpus (the one internal/build's
// benchmarks build), each cut after its closing "---" so that the
// markdown left to parse and render is empty. It goes through the
// exported ParseArticle so that the same benchmark runs on any version
// of the package and compares them fairly.
//
//	go test -run XXX -bench FrontMatter -benchmem -count 6 ./internal/content
func BenchmarkFrontMatter(b *testing.B) {
	fsys := corpus.Generate(10000, 1)
	var files [][]byte
	var paths []string
	for p, f := range fsys {
		if p == corpus.SettingsPath || !strings.HasSuffix(p, ".md") {
			continue
		}
		paths = append(paths, p)
		files = append(files, frontMatterOnly(b, f.Data))
	}
	md := content.NewMarkdown(false)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, src := range files {
			if _, err := md.ParseArticle(paths[i], src); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/article")
}

// frontMatterOnly returns src up to and including its closing "---".
func frontMatterOnly(b *testing.B, src []byte) []byte {
	end := bytes.Index(src[4:], []byte("\n---\n"))
	if !bytes.HasPrefix(src, []byte("---\n")) || end < 0 {
		b.Fatalf("corpus article without front matter: %.80q", src)
	}
	return src[:4+end+5]
}
