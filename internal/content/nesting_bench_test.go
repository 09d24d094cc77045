package content

import (
	"strings"
	"testing"
)

// nestedList is a list nested levels deep, one level per line, each
// item indented under the one before: what the parser sees as depth.
func nestedList(levels int) []byte {
	var b strings.Builder
	b.WriteString(article(""))
	for i := range levels {
		b.WriteString(strings.Repeat("  ", i))
		b.WriteString("- item\n")
	}
	return []byte(b.String())
}

// BenchmarkDeepList parses a 2,000-level nested list (4 MB), which is
// refused, and the deepest list allowed, 100 levels, repeated to 4 MB.
func BenchmarkDeepList(b *testing.B) {
	allowed := nestedList(100)
	body := allowed[len(article("")):]
	for len(allowed) < 4<<20 {
		allowed = append(append(allowed, "\nx\n\n"...), body...)
	}
	for _, bc := range []struct {
		name string
		src  []byte
	}{{"2000-levels", nestedList(2000)}, {"100-levels-4MB", allowed}} {
		b.Run(bc.name, func(b *testing.B) {
			md := NewMarkdown(false)
			b.SetBytes(int64(len(bc.src)))
			for b.Loop() {
				_, _ = md.ParseArticle("content/deep.md", bc.src)
			}
		})
	}
}
