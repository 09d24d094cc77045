package build

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// This file is what dealsite knows about the output folder before it
// writes: the manifest of the files it wrote there, and one look at
// everything else. From the two, planWrite decides what a write may
// replace, what it must leave alone and what stands in its way.

// ManifestName is the file in the output folder that lists, one a line,
// the files dealsite wrote there. dealsite deletes or overwrites only
// those (or, with Clean, every file but a .git at the root). It holds
// nothing the site does not already publish, so deploying it is
// harmless; deploys may exclude it by name.
const ManifestName = ".dealsite-manifest"

const manifestHeader = "# dealsite: the files it wrote here, one a line. It deletes or overwrites only these.\n"

// readManifest returns the files the manifest lists, and whether there is
// one. Lines that are not valid output paths are ignored, so a hand-
// edited manifest cannot name anything outside the output folder (and
// every write goes through an os.Root besides).
func readManifest(root *os.Root) (owned map[string]bool, found bool, err error) {
	data, err := root.ReadFile(ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", ManifestName, err)
	}
	owned = map[string]bool{}
	for line := range strings.Lines(string(data)) {
		p := strings.TrimSuffix(line, "\n")
		if p == "" || strings.HasPrefix(p, "#") {
			continue // a comment
		}
		if strings.HasPrefix(p, `"`) {
			if p, err = strconv.Unquote(p); err != nil {
				continue
			}
		}
		if isOutputPath(p) {
			owned[p] = true
		}
	}
	return owned, true, nil
}

// encodeManifest lists paths, sorted; a path that would not read back as
// one line is quoted.
func encodeManifest(paths map[string]bool) []byte {
	var b bytes.Buffer
	b.WriteString(manifestHeader)
	for _, p := range sortedKeys(paths) {
		if strings.ContainsAny(p, "\n\r") || strings.HasPrefix(p, `"`) || strings.HasPrefix(p, "#") {
			p = strconv.Quote(p)
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// writeManifest replaces the manifest with one listing paths, by a
// rename so that it is never half written. An unchanged manifest is not
// touched.
func writeManifest(root *os.Root, paths map[string]bool) error {
	data := encodeManifest(paths)
	if same(root, ManifestName, data) {
		return nil
	}
	tmp := tmpPrefix + "manifest"
	if err := root.WriteFile(tmp, data, 0o644); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	return root.Rename(tmp, ManifestName)
}

// joinPath makes a slash path relative to dir a path of the system.
func joinPath(dir, p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }

// isOutputPath reports whether p can name a file in the output folder.
func isOutputPath(p string) bool {
	return fs.ValidPath(p) && p != "." && !strings.Contains(p, `\`)
}

// isOwnName reports whether a path at the output root is dealsite's by
// its name: the manifest, or a temporary file.
func isOwnName(p string) bool {
	return p == ManifestName || strings.HasPrefix(path.Base(p), tmpPrefix)
}

// folderScan is what an output folder holds before a write.
type folderScan struct {
	files     map[string]bool // every entry that is not a folder (symlinks too)
	dirs      map[string]bool
	leftovers []string // temporary files and folders of an interrupted write
}

// scanFolder lists everything under dir but a .git file or folder at its
// root and the manifest. It only reads, through the plain path: writes go
// through the os.Root, and a symlink is listed, never followed.
func scanFolder(dir string) (*folderScan, error) {
	s := &folderScan{files: map[string]bool{}, dirs: map[string]bool{}}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == ".":
			return nil
		case p == ".git" || p == ManifestName:
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case isOwnName(p):
			s.leftovers = append(s.leftovers, p)
			if d.IsDir() {
				return fs.SkipDir
			}
		case d.IsDir():
			s.dirs[p] = true
		default:
			s.files[p] = true
		}
		return nil
	})
	return s, err
}

// writePlan is what a write may do to a folder, decided before it writes.
type writePlan struct {
	owned     map[string]bool // files dealsite wrote (all files but .git with clean)
	claimed   map[string]bool // produced files on disk that are not owned: kept only if byte-identical
	replaced  map[string]bool // owned files where the build needs a folder
	blocked   map[string]bool // other files where the build needs a folder
	needed    map[string]bool // folders that hold produced files
	conflicts []string        // why the write cannot go ahead without -clean
	foreign   int             // files left in place that dealsite did not write
	clean     bool
	manifest  bool // the folder had a manifest
	scan      *folderScan
	sorted    []string // scan.files, sorted when first needed
}

// planWrite decides, from the files a build produces, the files the
// manifest says dealsite owns and what the folder holds, what a write
// may replace. A file dealsite does not own is never overwritten or
// deleted; clean makes every file but .git its own.
func planWrite(produced, owned map[string]bool, scan *folderScan, clean bool) *writePlan {
	if clean {
		owned = union(owned, scan.files)
	}
	pl := &writePlan{owned: owned, claimed: map[string]bool{}, replaced: map[string]bool{}, blocked: map[string]bool{},
		needed: dirsOf(slices.Collect(maps.Keys(produced))), clean: clean, scan: scan}
	for p := range scan.files {
		if !owned[p] && !produced[p] {
			pl.foreign++
		}
	}
	for p := range produced {
		pl.checkFile(p)
	}
	for d := range pl.needed {
		pl.checkFolder(d, produced)
	}
	slices.Sort(pl.conflicts)
	return pl
}

// checkFile looks at the place of a produced file.
func (pl *writePlan) checkFile(p string) {
	switch {
	case pl.scan.files[p] && !pl.owned[p]:
		pl.claimed[p] = true
	case pl.scan.dirs[p]:
		if f := pl.firstForeignUnder(p); f != "" {
			pl.conflicts = append(pl.conflicts, fmt.Sprintf("%s: a folder holding files dealsite did not write (%s) is where the build writes a file", p, f))
		}
	}
}

// checkFolder looks at the place of a folder the build needs.
func (pl *writePlan) checkFolder(d string, produced map[string]bool) {
	switch {
	case !pl.scan.files[d]:
	case pl.owned[d] && !produced[d]:
		pl.replaced[d] = true
	default:
		pl.blocked[d] = true
		pl.conflicts = append(pl.conflicts, fmt.Sprintf("%s: a file dealsite did not write is where the build needs a folder", d))
	}
}

// firstForeignUnder returns a file under folder d that dealsite does not
// own, or "".
func (pl *writePlan) firstForeignUnder(d string) string {
	if pl.sorted == nil {
		pl.sorted = sortedKeys(pl.scan.files)
	}
	for _, f := range pl.sorted {
		if strings.HasPrefix(f, d+"/") && !pl.owned[f] {
			return f
		}
	}
	return ""
}

// fileOnTheWay returns the file on disk that one of p's folders would
// replace, or "".
func (pl *writePlan) fileOnTheWay(p string) string {
	if len(pl.replaced) == 0 && len(pl.blocked) == 0 {
		return ""
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if pl.replaced[d] || pl.blocked[d] {
			return d
		}
	}
	return ""
}

// ConflictError is a write refused because files dealsite did not write
// are where the build puts its own. Nothing was changed.
type ConflictError struct {
	Dir       string
	Conflicts []string // "path: why", paths relative to Dir
	Manifest  bool     // the folder has a manifest
}

// maxConflictsShown keeps the error readable on an old output folder.
const maxConflictsShown = 10

func (e *ConflictError) Error() string {
	var b strings.Builder
	for i, c := range e.Conflicts {
		if i == maxConflictsShown {
			fmt.Fprintf(&b, "… and %d more\n", len(e.Conflicts)-i)
			break
		}
		fmt.Fprintf(&b, "%s\n", joinOut(e.Dir, c))
	}
	fmt.Fprintf(&b, "the output folder was not changed: dealsite overwrites only files it wrote. Move these away, or build with -clean to delete every file in %s that dealsite did not write", e.Dir)
	if !e.Manifest {
		fmt.Fprintf(&b, " (%s has no %s: dealsite has not built into it before, or an older version did)", e.Dir, ManifestName)
	}
	return b.String()
}

func (e *ConflictError) Unwrap() error { return errNothingWritten }

// joinOut puts the output folder before a "path: why" line.
func joinOut(dir, line string) string {
	p, why, _ := strings.Cut(line, ": ")
	return joinPath(dir, p) + ": " + why
}
