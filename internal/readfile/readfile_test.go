package readfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestPathReadsWholeFiles reads back whole files of several sizes, and
// fails on a missing one (a card is then drawn).
func TestPathReadsWholeFiles(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 4096, 300 << 10} {
		want := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, size/4+1)[:size]
		name := filepath.Join(dir, "card.png")
		if err := os.WriteFile(name, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Path(name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("size %d: read %d bytes, %v", size, len(got), err)
		}
	}
	if _, err := Path(filepath.Join(dir, "missing.png")); err == nil {
		t.Error("a missing file read without an error")
	}
}
