//go:build !race

// The race detector drops pooled items at random, so this counter would
// not hold under it.

package outdir

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestStreamReusesItsBuffer checks that streaming a file does not cost
// a new 256 KB write buffer each time: a clean build streams hundreds.
func TestStreamReusesItsBuffer(t *testing.T) {
	const files = 32
	var produced []string
	for i := range files {
		produced = append(produced, fmt.Sprintf("p/%02d.html", i))
	}
	f, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tx, err := f.Begin(context.Background(), produced)
	if err != nil {
		t.Fatal(err)
	}
	page := strings.Repeat("x", 1000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, p := range produced {
		if err := tx.Stream(p, func(w io.Writer) error { _, err := io.WriteString(w, page); return err }); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if _, err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(files*256<<10/4); got > limit {
		t.Errorf("streaming %d small files allocated %d bytes; want at most %d", files, got, limit)
	}
}
