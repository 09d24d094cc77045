package build

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/outdir"
)

// CheckOutputDir refuses output folders where Write's clean-up of stale
// files could delete the site's own sources: the site folder itself, any
// folder containing it or a content/ folder, and its content/, layouts/
// and static/ folders or anything inside them.
func CheckOutputDir(siteDir, outDir string) error {
	site, err := resolve(siteDir)
	if err != nil {
		return err
	}
	out, err := resolve(outDir)
	if err != nil {
		return err
	}
	switch {
	case out == site:
		return fmt.Errorf("output folder %s is the site folder; use a folder of its own such as %s", outDir, filepath.Join(siteDir, outdir.DefaultName))
	case within(site, out):
		return fmt.Errorf("output folder %s contains the site folder %s; its clean-up would delete the site", outDir, siteDir)
	}
	for _, dir := range SourceDirs {
		if within(out, filepath.Join(site, dir)) || out == filepath.Join(site, dir) {
			return fmt.Errorf("output folder %s is inside the site's %s/ folder", outDir, dir)
		}
	}
	if info, err := os.Stat(filepath.Join(out, content.Dir)); err == nil && info.IsDir() {
		return fmt.Errorf("output folder %s contains a content/ folder: it looks like a site, not build output", outDir)
	}
	return nil
}

// resolve makes p absolute with symlinks resolved as far as it exists, so
// two spellings of one folder compare equal.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for cur := abs; ; cur = filepath.Dir(cur) {
		if real, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if filepath.Dir(cur) == cur {
			return abs, nil
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
	}
}

// within reports whether p is strictly inside dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
