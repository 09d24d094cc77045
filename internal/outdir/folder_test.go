package outdir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// commit runs one transaction of files on f and returns its stats.
func commit(t *testing.T, f *Folder, files map[string]string) (Stats, error) {
	t.Helper()
	produced := sortedKeys(files)
	tx, err := f.Begin(context.Background(), produced)
	if err != nil {
		return Stats{}, err
	}
	for _, p := range produced {
		if err := tx.Put(p, []byte(files[p])); err != nil {
			break
		}
	}
	return tx.Commit()
}

func mustCommit(t *testing.T, f *Folder, files map[string]string) Stats {
	t.Helper()
	ws, err := commit(t, f, files)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func open(t *testing.T, dir string) *Folder {
	t.Helper()
	f, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func writeFile(t *testing.T, dir, p, data string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readString(t *testing.T, dir, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

var site1 = map[string]string{"index.html": "home 1", "a/index.html": "a 1", "b/index.html": "b 1"}

// A kept Folder plans a rebuild from what it remembers: a file added by
// hand where dealsite never writes is neither looked at nor counted,
// and stays; a new Folder sees and counts it.
func TestRebuildLooksOnlyAtWhatItWrites(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	f := open(t, dir)
	if ws := mustCommit(t, f, site1); ws.Written != 3 || ws.Kept != 0 {
		t.Errorf("first commit: %+v", ws)
	}
	writeFile(t, dir, "a/mine.txt", "by hand")
	if ws := mustCommit(t, f, site1); ws.Written != 0 || ws.Unchanged != 3 || ws.Kept != 0 {
		t.Errorf("rebuild: %+v, want nothing written and the new file not looked at", ws)
	}
	f.Close()
	if ws := mustCommit(t, open(t, dir), site1); ws.Written != 0 || ws.Kept != 1 {
		t.Errorf("a new Folder: %+v, want the file by hand seen and kept", ws)
	}
	if got := readString(t, dir, "a/mine.txt"); got != "by hand" {
		t.Errorf("the file by hand is %q", got)
	}
}

// A rebuild still never overwrites a file put by hand where it newly
// writes one, nor deletes a folder put where it newly writes a file.
func TestRebuildLooksAtNewPaths(t *testing.T) {
	dir := t.TempDir()
	f := open(t, dir)
	mustCommit(t, f, site1)
	writeFile(t, dir, "c/index.html", "mine")
	writeFile(t, dir, "d/mine.txt", "mine")
	next := map[string]string{"c/index.html": "c 1", "d": "a file where a folder is"}
	for p, data := range site1 {
		next[p] = data
	}
	_, err := commit(t, f, next)
	var conflict *ConflictError
	if !errors.As(err, &conflict) || len(conflict.Conflicts) != 2 {
		t.Fatalf("error = %v, want two conflicts", err)
	}
	if readString(t, dir, "c/index.html") != "mine" || readString(t, dir, "d/mine.txt") != "mine" {
		t.Error("a refused rebuild changed files put by hand")
	}
	// The very same bytes are adopted.
	writeFile(t, dir, "c/index.html", "c 1")
	delete(next, "d")
	if ws := mustCommit(t, f, next); ws.Written != 0 || ws.Unchanged != 4 {
		t.Errorf("adopting an identical file: %+v", ws)
	}
}

// Another build between two rebuilds (here one writing other bytes) makes
// a kept Folder forget what it remembered: its next rebuild compares the
// folder afresh and writes back its own bytes.
func TestRebuildAfterAnotherBuild(t *testing.T) {
	dir := t.TempDir()
	f := open(t, dir)
	mustCommit(t, f, site1)
	f.Close()
	other := open(t, dir)
	mustCommit(t, other, map[string]string{"index.html": "home 2", "a/index.html": "a 1", "b/index.html": "b 1"})
	other.Close()
	if ws := mustCommit(t, f, site1); ws.Written != 1 {
		t.Errorf("rebuild after another build: %+v, want index.html written back", ws)
	}
	if got := readString(t, dir, "index.html"); got != "home 1" {
		t.Errorf("index.html = %q, want the rebuild's", got)
	}
}

// A folder deleted between two rebuilds is made again, whole.
func TestRebuildAfterTheFolderWasDeleted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	f := open(t, dir)
	mustCommit(t, f, site1)
	f.Close()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if ws := mustCommit(t, f, site1); ws.Written != 3 {
		t.Errorf("rebuild into a deleted folder: %+v, want every file written", ws)
	}
	for p, want := range site1 {
		if got := readString(t, dir, p); got != want {
			t.Errorf("%s = %q, want %q", p, got, want)
		}
	}
}

// KeepRest takes every file not put as the last commit left it, given
// that commit's ID; an older commit's ID, or 0, cannot be kept.
func TestKeepRest(t *testing.T) {
	dir := t.TempDir()
	f := open(t, dir)
	produced := []string{"a/index.html", "b/index.html", "index.html"}
	tx, err := f.Begin(context.Background(), produced)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range produced {
		tx.PutSum(p, []byte(site1[p]), uint64(i+1))
	}
	first, err := tx.Commit()
	if err != nil || first.Commit == 0 {
		t.Fatalf("commit: %+v, %v", first, err)
	}
	tx, err = f.Begin(context.Background(), produced)
	if err != nil {
		t.Fatal(err)
	}
	if tx.KeepRest(0) || tx.KeepRest(first.Commit+1) {
		t.Error("kept the files of a commit that is not the folder's last")
	}
	if !tx.KeepRest(first.Commit) {
		t.Error("did not keep the files of the folder's last commit")
	}
	tx.PutSum("index.html", []byte("home 2"), 7)
	ws, err := tx.Commit()
	if err != nil || ws.Written != 1 || ws.Unchanged != 2 || ws.Commit == first.Commit {
		t.Errorf("commit: %+v, %v", ws, err)
	}
	if got := readString(t, dir, "a/index.html"); got != "a 1" {
		t.Errorf("the kept file is %q", got)
	}
	// Kept files are remembered like the others: a page put again with
	// its sum is unchanged.
	tx, _ = f.Begin(context.Background(), produced)
	if tx.KeepRest(first.Commit) {
		t.Error("kept the files of an older commit")
	}
	tx.PutSum("a/index.html", []byte("a 1"), 1)
	tx.PutSum("b/index.html", []byte("b 1"), 2)
	tx.PutSum("index.html", []byte("home 2"), 7)
	if ws, err := tx.Commit(); err != nil || ws.Written != 0 || ws.Unchanged != 3 {
		t.Errorf("after a KeepRest: %+v, %v", ws, err)
	}
}

// A Folder that looked afresh (another build wrote the folder) cannot
// vouch for what it holds: KeepRest fails.
func TestKeepRestAfterAnotherBuild(t *testing.T) {
	dir := t.TempDir()
	f := open(t, dir)
	ws := mustCommit(t, f, site1)
	f.Close()
	other := open(t, dir)
	mustCommit(t, other, map[string]string{"index.html": "home 2"})
	other.Close()
	tx, err := f.Begin(context.Background(), []string{"index.html"})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Discard()
	if tx.KeepRest(ws.Commit) {
		t.Error("kept the files of a commit another build replaced")
	}
}

// A discarded transaction leaves the folder and what the Folder
// remembers as they were; one that created the folder removes it.
func TestDiscard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	f := open(t, dir)
	tx, err := f.Begin(context.Background(), []string{"index.html"})
	if err != nil {
		t.Fatal(err)
	}
	tx.Put("index.html", []byte("x"))
	tx.Discard()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a discarded first transaction left the folder: %v", err)
	}
	mustCommit(t, f, site1)
	tx, err = f.Begin(context.Background(), []string{"index.html", "z/index.html"})
	if err != nil {
		t.Fatal(err)
	}
	tx.Put("index.html", []byte("home 2"))
	tx.Put("z/index.html", []byte("z"))
	tx.Discard()
	if got := readString(t, dir, "index.html"); got != "home 1" {
		t.Errorf("index.html = %q after a discard", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "z")); !os.IsNotExist(err) {
		t.Errorf("a discard left a folder: %v", err)
	}
	if ws := mustCommit(t, f, site1); ws.Written != 0 || ws.Unchanged != 3 {
		t.Errorf("after a discard: %+v, want every file unchanged", ws)
	}
}

func TestMemory(t *testing.T) {
	m := NewMemory()
	ctx := context.Background()
	tx, _ := m.Begin(ctx, []string{"a", "b"})
	tx.PutSum("a", []byte("1"), 11)
	tx.Put("b", []byte("2"))
	if _, err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	first := m.Files()
	tx, _ = m.Begin(ctx, []string{"a", "c"})
	if tx.KeepRest(0) {
		t.Error("kept the files of no commit")
	}
	if !tx.KeepRest(m.files.commit) {
		t.Fatal("did not keep the files of the last commit")
	}
	tx.Put("c", []byte("3"))
	ws, err := tx.Commit()
	if err != nil || ws != (Stats{Written: 1, Unchanged: 1, Removed: 1, Commit: m.files.commit}) {
		t.Errorf("second commit: %+v, %v", ws, err)
	}
	if got := m.Files().Paths(); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("files %q", got)
	}
	if data, _ := m.Files().File("a"); string(data) != "1" {
		t.Errorf("the kept file holds %q", data)
	}
	if got := first.Paths(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("the first Files changed: %q", got)
	}
	// The same files again: one put, the other kept.
	tx, _ = m.Begin(ctx, []string{"a", "c"})
	if !tx.KeepRest(m.files.commit) {
		t.Fatal("did not keep the files of the last commit")
	}
	tx.Put("a", []byte("4"))
	if ws, err := tx.Commit(); err != nil || ws.Written != 1 || ws.Unchanged != 1 || ws.Removed != 0 {
		t.Errorf("third commit: %+v, %v", ws, err)
	}
	for p, want := range map[string]string{"a": "4", "c": "3"} {
		if data, _ := m.Files().File(p); string(data) != want {
			t.Errorf("%s holds %q, want %q", p, data, want)
		}
	}
	tx, _ = m.Begin(ctx, []string{"x"})
	tx.Put("x", nil)
	tx.Discard()
	if got := m.Files().Paths(); !slices.Equal(got, []string{"a", "c"}) {
		t.Errorf("a discard changed the files: %q", got)
	}
}

// A transaction producing the files of the last commit again takes a
// shorter way (nothing new to look at, nothing stale): it must leave
// the folder and the manifest exactly as the long way does, after a
// commit that removed a file as after any other, and a later commit
// with other files must still see the folder as it is.
func TestSteadyCommit(t *testing.T) {
	dir := t.TempDir()
	f := open(t, dir)
	mustCommit(t, f, site1)
	writeFile(t, dir, "mine.txt", "a user's file")
	two := map[string]string{"index.html": "home 1", "a/index.html": "a 1"}
	if ws := mustCommit(t, f, two); ws.Removed != 1 {
		t.Fatalf("removing b: %+v", ws)
	}
	for i, home := range []string{"home 2", "home 3"} {
		two["index.html"] = home
		if ws := mustCommit(t, f, two); ws.Written != 1 || ws.Unchanged != 1 || ws.Removed != 0 {
			t.Errorf("steady commit %d: %+v", i, ws)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if owned, _, err := readManifest(root); err != nil || len(owned) != 2 || !owned["index.html"] || !owned["a/index.html"] {
		t.Errorf("the manifest lists %v (%v), want index.html and a/index.html", owned, err)
	}
	if got := readString(t, dir, "index.html"); got != "home 3" {
		t.Errorf("index.html = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "b")); !os.IsNotExist(err) {
		t.Errorf("b/ is back: %v", err)
	}
	// b again, and a page where the user's file is: refused, as always.
	if _, err := commit(t, f, map[string]string{"index.html": "home 3", "a/index.html": "a 1", "b/index.html": "b 2", "mine.txt": "x"}); err == nil {
		t.Error("a commit overwrote a user's file")
	}
	if ws := mustCommit(t, f, map[string]string{"index.html": "home 3", "a/index.html": "a 1", "b/index.html": "b 2"}); ws.Written != 1 {
		t.Errorf("b again: %+v", ws)
	}
	if got := readString(t, dir, "mine.txt"); got != "a user's file" {
		t.Errorf("mine.txt = %q", got)
	}
}
