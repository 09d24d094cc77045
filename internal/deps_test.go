package internal_test

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// allowed is the import policy from STYLE.md: data flows one way,
// content → site → render → build, and each package may import only the
// dealsite packages listed here.
var allowed = map[string][]string{
	"diag":    {},
	"content": {"diag"},
	"site":    {"diag", "content"},
	"render":  {"diag", "content", "site"},
	"outdir":  {"diag"},
	"build":   {"diag", "content", "site", "render", "outdir"},
	"watch":   {"diag", "content"},
	"serve":   {"diag", "outdir"},
	"corpus":  {},
	"check":   {"diag", "content", "site", "build", "outdir"},
}

const module = "github.com/dealsite/dealsite/"

func TestImportPolicy(t *testing.T) {
	dirs, _ := filepath.Glob("*")
	for _, dir := range dirs {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			continue // not a package folder
		}
		want, known := allowed[dir]
		if !known {
			t.Errorf("internal/%s is not in the import policy; add it to allowed", dir)
			continue
		}
		for _, imp := range pkg.Imports {
			rest, ours := strings.CutPrefix(imp, module)
			if !ours {
				continue
			}
			name := strings.TrimPrefix(rest, "internal/")
			if !slices.Contains(want, name) {
				t.Errorf("internal/%s imports %s, which the policy forbids", dir, imp)
			}
		}
	}
}
