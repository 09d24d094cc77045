package build

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
)

// Output is a complete built site in memory.
type Output struct {
	files map[string][]byte // slash path relative to the output root → bytes
	stats Stats
}

// Stats reports what the build produced.
func (o *Output) Stats() Stats { return o.stats }

// Paths lists every output file, sorted.
func (o *Output) Paths() []string { return sortedKeys(o.files) }

// File returns the bytes of one output file.
func (o *Output) File(p string) ([]byte, bool) {
	b, ok := o.files[p]
	return b, ok
}

// WriteStats counts what Write changed on disk.
type WriteStats struct {
	Written   int // files created or changed
	Unchanged int // files whose bytes were already right (left untouched)
	Removed   int // stale files deleted
}

// Write makes dir hold exactly the output. Every file system call goes
// through an os.Root opened on dir, so no name can reach outside it, even
// through a symlink planted inside. Files whose bytes are already right
// are not touched (their modification times stay, so rsync and CDN
// uploads send nothing); changed files are replaced atomically by
// rename; files the build did not produce are deleted, except a .git
// folder at the root.
func (o *Output) Write(dir string) (WriteStats, error) {
	var ws WriteStats
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ws, err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return ws, err
	}
	defer root.Close()
	for _, p := range o.Paths() {
		changed, err := writeFile(root, p, o.files[p])
		if err != nil {
			return ws, fmt.Errorf("writing %s: %w", path.Join(dir, p), err)
		}
		if changed {
			ws.Written++
		} else {
			ws.Unchanged++
		}
	}
	ws.Removed, err = o.removeStale(root)
	return ws, err
}

// writeFile writes data to p unless it already holds exactly data.
func writeFile(root *os.Root, p string, data []byte) (bool, error) {
	if !fs.ValidPath(p) || strings.Contains(p, `\`) {
		return false, fmt.Errorf("invalid output path %q", p)
	}
	if old, err := root.ReadFile(p); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := root.MkdirAll(path.Dir(p), 0o755); err != nil {
		return false, err
	}
	tmp := path.Join(path.Dir(p), ".dealsite-tmp-"+path.Base(p))
	if err := root.WriteFile(tmp, data, 0o644); err != nil {
		return false, err
	}
	if err := root.Rename(tmp, p); err != nil {
		_ = root.Remove(tmp)
		return false, err
	}
	return true, nil
}

// removeStale deletes files under root that are not in the output, then
// the folders left empty.
func (o *Output) removeStale(root *os.Root) (int, error) {
	var stale, dirs []string
	err := fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == ".":
			return nil
		case p == ".git":
			return fs.SkipDir
		case d.IsDir():
			dirs = append(dirs, p)
		case !o.has(p):
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, p := range stale {
		if err := root.Remove(p); err != nil {
			return 0, err
		}
	}
	slices.Reverse(dirs) // children before parents
	for _, d := range dirs {
		if err := root.Remove(d); err != nil && !isNotEmpty(err) {
			return 0, err
		}
	}
	return len(stale), nil
}

func (o *Output) has(p string) bool {
	_, ok := o.files[p]
	return ok
}

func isNotEmpty(err error) bool {
	return errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, fs.ErrExist)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
