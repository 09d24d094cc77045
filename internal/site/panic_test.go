package site

import (
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/diag"
)

// relate works on goroutines of its own: a panic there (here, from a
// nil tag no loaded site can have) must come back as an internal error
// naming the article, not end the process.
func TestPanicRelatingIsAnInternalError(t *testing.T) {
	a := &Article{Path: "content/a.md", Slug: "a", Tags: []*Term{nil}}
	err := relate([]*Article{a})
	var list diag.List
	list.Merge(err)
	if len(list) != 1 || list[0].Code != diag.Internal || list[0].Path != "content/a.md" || !strings.Contains(list[0].Message, "nil pointer") {
		t.Errorf("relate = %v, want one internal error about content/a.md", err)
	}
}
