package diag

import (
	"errors"
	"fmt"
	"testing"
)

func TestListSortsDeduplicatesAndMerges(t *testing.T) {
	var l List
	l.Addf("content/b.md", 3, "late")
	l.Addf("content/a.md", 10, "ten")
	l.Addf("content/a.md", 2, "two")
	l.Addf("content/a.md", 2, "two")
	l.Add(Diagnostic{Path: "layouts/x.html", Line: 4, Col: 7, Message: "col"})
	var inner List
	inner.Addf("content/0.md", 0, "no line")
	l.Merge(fmt.Errorf("wrapped: %w", inner))
	l.Merge(errors.New("plain"))
	want := "plain\ncontent/0.md: no line\ncontent/a.md:2: two\ncontent/a.md:10: ten\ncontent/b.md:3: late\nlayouts/x.html:4:7: col"
	if got := l.Err().Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if (List{}).Err() != nil {
		t.Error("empty list is an error")
	}
}
