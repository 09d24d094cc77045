package watch

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// An event about one file costs work for that file, not for every file
// known: a checkout touching 100,000 articles of a 100,000-article site
// must not look at 10^10 files. forget looks only under the path.
func TestCheckLooksOnlyUnderThePath(t *testing.T) {
	const n = 5000
	fsys := fstest.MapFS{}
	for i := range n {
		fsys[fmt.Sprintf("content/%d/%d.md", 1995+i%30, i)] = &fstest.MapFile{Data: []byte("x"), ModTime: time.Unix(1, 0)}
	}
	r, err := newRule([]string{"content"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := newTracker(fsys, r, func() time.Time { return time.Unix(100, 0) })
	if got := len(tr.scan(false)); got != n {
		t.Fatalf("first scan: %d files, want %d", got, n)
	}
	tr.looked = 0
	for i := range 100 {
		p := fmt.Sprintf("content/%d/%d.md", 1995+i%30, i)
		fsys[p] = &fstest.MapFile{Data: []byte("edited"), ModTime: time.Unix(2, 0)}
		if got := tr.check(p); len(got) != 1 || got[0] != p {
			t.Fatalf("check(%s) = %q", p, got)
		}
	}
	if tr.looked > 100*2 {
		t.Errorf("100 checks of one file each looked at %d known files; want about one each", tr.looked)
	}
	// A deleted folder still takes its files, and only its files, along.
	deleted := 0
	for p := range fsys {
		if strings.HasPrefix(p, "content/1995/") {
			delete(fsys, p)
			deleted++
		}
	}
	tr.looked = 0
	if gone := tr.check("content/1995"); len(gone) != deleted {
		t.Errorf("deleting content/1995 forgot %d files, want %d", len(gone), deleted)
	}
	if tr.looked > deleted+1 {
		t.Errorf("forgetting a folder of %d files looked at %d", deleted, tr.looked)
	}
	if len(tr.files) != n-deleted {
		t.Errorf("%d files known, want %d", len(tr.files), n-deleted)
	}
}
