package outdir

import (
	"context"
	"strings"
	"testing"

	"github.com/dealsite/dealsite/internal/diag"
)

// Files are staged on the stager's own workers: a panic there (here an
// output folder that was never opened, a stand-in for a bug in staging)
// must fail the write as an internal error naming the file, not end
// the process.
func TestPanicStagingAFileIsAnInternalError(t *testing.T) {
	f := &Folder{dir: t.TempDir()} // no root: every file system call panics
	plan := planWrite(map[string]bool{"index.html": true}, map[string]bool{}, newFolderScan(), false)
	st := newStager(context.Background(), f, plan, nil)
	if err := st.put("index.html", []byte("<p>x"), 0); err != nil {
		t.Fatal(err)
	}
	_, _, err := st.finish()
	var list diag.List
	list.Merge(err)
	if len(list) != 1 || list[0].Code != diag.Internal || !strings.Contains(list[0].Message, "writing index.html") || list[0].Stack == "" {
		t.Errorf("want one internal error about writing index.html, with its stack; got %v", err)
	}
	if st.put("other.html", []byte("x"), 0) == nil {
		t.Error("staging goes on after a panic")
	}
}
