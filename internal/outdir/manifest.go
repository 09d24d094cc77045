package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
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

// tmpPrefix marks the files a transaction stages inside the folder.
const tmpPrefix = ".dealsite-tmp-"

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

// writeManifest replaces the manifest with data (see encodeManifest),
// by a rename so that it is never half written, and returns the new
// file's identity. An unchanged manifest is not touched unless force is
// set: a commit that changed the folder forces it, so that a Folder that
// remembers the manifest it left can tell another writer has been there.
func writeManifest(root *os.Root, data []byte, force bool) (os.FileInfo, error) {
	if !force && same(root, ManifestName, data) {
		return root.Lstat(ManifestName)
	}
	tmp := tmpPrefix + "manifest"
	if err := root.WriteFile(tmp, data, 0o644); err != nil {
		_ = root.Remove(tmp)
		return nil, err
	}
	if err := root.Rename(tmp, ManifestName); err != nil {
		return nil, err
	}
	return root.Lstat(ManifestName)
}

// subset reports whether every path of a is in b.
func subset(a, b map[string]bool) bool {
	if len(a) > len(b) {
		return false
	}
	for p := range a {
		if !b[p] {
			return false
		}
	}
	return true
}

// joinPath makes a slash path relative to dir a path of the system.
func joinPath(dir, p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }

// isOutputPath reports whether p can name a file in the output folder.
func isOutputPath(p string) bool {
	return fs.ValidPath(p) && p != "." && !strings.Contains(p, `\`)
}

// IsOwnName reports whether a path in the output folder is dealsite's by
// its name: the manifest, or a temporary file. No file of a site may
// take such a name.
func IsOwnName(p string) bool {
	return p == ManifestName || strings.HasPrefix(path.Base(p), tmpPrefix)
}

// folderScan is what an output folder holds before a write.
type folderScan struct {
	files     map[string]bool // every entry that is not a folder (symlinks too)
	dirs      map[string]bool
	leftovers []string // temporary files and folders of an interrupted write
}

func newFolderScan() *folderScan {
	return &folderScan{files: map[string]bool{}, dirs: map[string]bool{}}
}

// scanFolder lists everything under dir but a .git file or folder at its
// root and the manifest. It only reads, through the plain path: writes go
// through the os.Root, and a symlink is listed, never followed.
func scanFolder(dir string) (*folderScan, error) {
	s := newFolderScan()
	err := s.walk(dir, ".")
	return s, err
}

// walk adds what the folder start of dir holds to s.
func (s *folderScan) walk(dir, start string) error {
	return fs.WalkDir(os.DirFS(dir), start, func(p string, d fs.DirEntry, err error) error {
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
		case IsOwnName(p):
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
}

// lookAtNew brings what a Folder remembers of its folder up to date for
// a build: only the produced files dealsite does not own yet, and the
// folders they need that it does not know, are looked at (one lstat
// each), so that a file or folder put there by hand is never
// overwritten. Everything else is as the last commit left it.
func (s *folderScan) lookAtNew(root *os.Root, produced, owned map[string]bool) {
	for p := range produced {
		if owned[p] {
			continue
		}
		s.lookAt(root, p)
		for d := path.Dir(p); d != "." && !s.dirs[d]; d = path.Dir(d) {
			s.lookAt(root, d)
		}
	}
}

// lookAt records what is at p: nothing, a file, or a folder with all it
// holds.
func (s *folderScan) lookAt(root *os.Root, p string) {
	info, err := root.Lstat(p)
	switch {
	case err != nil:
	case info.IsDir():
		_ = s.walk(root.Name(), p) // what cannot be read is not overwritten either: rename refuses unknown folders
	default:
		s.files[p] = true
	}
}

// after is what the folder holds once a commit of pl has landed: the
// files dealsite did not write, the produced files, and the folders
// that hold them; gone are the folders the commit removed.
func (s *folderScan) after(pl *writePlan, produced map[string]bool, gone []string) *folderScan {
	next := &folderScan{files: make(map[string]bool, len(produced)+pl.foreign), dirs: make(map[string]bool, len(s.dirs))}
	for p := range s.files {
		if !pl.owned[p] && !produced[p] {
			next.files[p] = true
		}
	}
	for p := range produced {
		next.files[p] = true
	}
	for d := range s.dirs {
		if !produced[d] && pl.fileOnTheWay(d) == "" {
			next.dirs[d] = true
		}
	}
	for _, d := range gone {
		delete(next.dirs, d)
	}
	for d := range pl.needed {
		next.dirs[d] = true
	}
	return next
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
		needed: dirsOf(produced), clean: clean, scan: scan}
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

func (e *ConflictError) Unwrap() error { return ErrNothingWritten }

// joinOut puts the output folder before a "path: why" line.
func joinOut(dir, line string) string {
	p, why, _ := strings.Cut(line, ": ")
	return joinPath(dir, p) + ": " + why
}

// dirsOf lists every folder that holds one of files.
func dirsOf(files map[string]bool) map[string]bool {
	dirs := map[string]bool{}
	for p := range files {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return dirs
}

// sortedDeepestFirst sorts folders so that a child comes before its
// parent: its path is longer.
func sortedDeepestFirst(dirs []string) []string {
	slices.SortFunc(dirs, func(a, b string) int { return len(b) - len(a) })
	return dirs
}
