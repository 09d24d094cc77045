package internal_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The import policy from STYLE.md, written as a test. Data flows one
// way, content → site → render → build, and watch and serve are leaves
// that only cmd/dealsite wires together.
//
// Every .go file under internal/ is read, whatever its build tags
// (lock_other.go, stamp_other.go), since a file a platform never builds
// here is still code the policy covers. Test files are held to the same
// policy, with the extras in testAllowed: a test may import its own
// package, the fixtures (the corpus generator and the default theme),
// and the few references it compares against.

// allowed lists, for each package folder under internal/, the dealsite
// packages it may import (paths relative to the module; "diag" stands
// for internal/diag, "layouts" for the module's layouts package).
var allowed = map[string][]string{
	"diag":                 {},
	"content":              {"diag", "media"}, // an image's size is known when its markdown is read
	"media":                {},                // pictures: bytes in, bytes out
	"card":                 {},                // social cards: a Spec in, PNG bytes out
	"site":                 {"diag", "content"},
	"search":               {"diag", "content", "site"}, // the index is made from the model
	"render":               {"diag", "content", "site", "search", "media", "card", "readfile"},
	"build":                {"diag", "content", "site", "render", "outdir", "media"},
	"outdir":               {"diag"}, // the output folder's writer: knows nothing of pages
	"readfile":             {},       // whole files in fewer system calls
	"watch":                {"diag", "content"},
	"serve":                {"diag", "outdir"}, // publishes the Files of an outdir.Memory
	"corpus":               {},                 // so it cannot drift with the code it measures
	"corpus/cmd/gencorpus": {"corpus"},
	"check":                {"diag", "content", "site", "build", "outdir"}, // its own transaction reads the pages
}

// thirdParty keeps each module outside the standard library in its layer:
// the packages (as in allowed) that may import it or any of its packages.
var thirdParty = map[string][]string{
	"github.com/yuin/goldmark":        {"content"}, // markdown is read in one place
	"github.com/yuin/goldmark-meta":   {"content"},
	"github.com/goccy/go-yaml":        {"content"}, // front matter and settings
	"github.com/alecthomas/chroma/v2": {"content"}, // code highlighted as markdown is converted
	"github.com/fsnotify/fsnotify":    {"watch"},
	"golang.org/x/image":              {"media", "card"},      // scaling, WebP reading, the card's font
	"github.com/gen2brain/webp":       {"media"},              // WebP encoding
	"golang.org/x/net":                {"check"},              // HTML parsing of built pages
	"golang.org/x/text":               {"card"},               // NFC: the card's font has no combining accents
	"golang.org/x/sys":                {"outdir", "readfile"}, // openat2: files opened beneath their folder in one call
	// errgroup, the one idiom for parallel work (STYLE.md rule 6), in
	// the layers that fan work out.
	"golang.org/x/sync": {"content", "site", "search", "render", "build", "outdir"},
}

// testAllowed is what a package's test files may import beyond what the
// package may. Every test may also import the package it tests.
var testAllowed = map[string][]string{
	"*": {"corpus", "layouts", "static"}, // fixtures: generated sites and the default theme
	// The CommonMark and extension examples are compared with goldmark
	// configured as the pipeline configures it.
	"build": {"github.com/yuin/goldmark", "github.com/yuin/goldmark-meta"},
	// The corpus test checks that dealsite builds what it generates.
	"corpus": {"build"},
	// A Loader told what changed is tested with the real watcher's
	// batches (changes_watch_test.go).
	"content": {"watch"},
	// The server's tests publish real builds.
	"serve": {"build"},
}

const module = "github.com/dealsite/dealsite/"

func TestImportPolicy(t *testing.T) {
	files, unknown := goFiles(t, "."), map[string]bool{}
	for _, file := range slices.Sorted(maps.Keys(files)) {
		pkg := path.Dir(file)
		if _, known := allowed[pkg]; !known {
			if !unknown[pkg] {
				t.Errorf("internal/%s is not in the import policy; add it to allowed", pkg)
			}
			unknown[pkg] = true
			continue
		}
		for _, imp := range files[file] {
			if !mayImport(pkg, imp, strings.HasSuffix(file, "_test.go")) {
				t.Errorf("internal/%s imports %s, which the policy forbids", file, imp)
			}
		}
	}
}

// mayImport reports whether a file of package pkg (a test file if test)
// may import imp.
func mayImport(pkg, imp string, test bool) bool {
	if !strings.Contains(strings.Split(imp, "/")[0], ".") {
		return true // the standard library
	}
	key, ours := strings.CutPrefix(imp, module)
	if ours {
		key = strings.TrimPrefix(key, "internal/")
		if slices.Contains(allowed[pkg], key) {
			return true
		}
	} else if key = moduleOf(imp); slices.Contains(thirdParty[key], pkg) {
		return true
	}
	return test && (key == pkg || slices.Contains(testAllowed["*"], key) || slices.Contains(testAllowed[pkg], key))
}

// moduleOf is the module in thirdParty that a package belongs to, or the
// package itself if none: it is then allowed nowhere.
func moduleOf(imp string) string {
	for mod := range thirdParty {
		if imp == mod || strings.HasPrefix(imp, mod+"/") {
			return mod
		}
	}
	return imp
}

// goFiles parses the imports of every .go file under dir, build tags
// ignored, keyed by slash-separated path relative to dir. It skips
// testdata folders, as the go command does.
func goFiles(t *testing.T, dir string) map[string][]string {
	t.Helper()
	files := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), "_") || strings.HasPrefix(d.Name(), ".") && p != dir) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || p == "deps_test.go" {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		imports := []string{}
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			imports = append(imports, imp)
		}
		files[filepath.ToSlash(p)] = imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no Go files found: is the test running in internal/?")
	}
	return files
}

// TestReadmeListsEveryPackage keeps the README's package table (under
// Development) true: every package under internal/, with its own doc
// comment, is listed there.
func TestReadmeListsEveryPackage(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(readme), "\n## Development\n")
	table, _, _ = strings.Cut(table, "\n## ")
	pkgs := map[string]bool{}
	for file := range goFiles(t, ".") {
		pkgs[path.Dir(file)] = true
	}
	for _, pkg := range slices.Sorted(maps.Keys(pkgs)) {
		if strings.Contains(pkg, "/cmd/") {
			continue // a command of its package, listed with it
		}
		if !strings.Contains(table, "internal/"+pkg+" ") {
			t.Errorf("internal/%s is missing from the README's package table under Development", pkg)
		}
		if !hasPackageDoc(t, pkg) {
			t.Errorf("internal/%s has no package doc comment: it is the package's manual", pkg)
		}
	}
}

// hasPackageDoc reports whether a non-test file of pkg has a package
// doc comment.
func hasPackageDoc(t *testing.T, pkg string) bool {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(pkg, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Package "+f.Name.Name+" ") {
			return true
		}
	}
	return false
}
