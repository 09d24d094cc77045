package build

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestToldRebuildSeesImageChanges: a rebuild told only that an image
// changed (under static/, or in an article folder) gives what a clean
// build gives, although no article file changed: the loader reads again
// the articles that show the image.
func TestToldRebuildSeesImageChanges(t *testing.T) {
	fsys := mediaSite(t)
	w := newWarm()
	if _, err := w.Build(context.Background(), fsys, Options{Theme: theme}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, path string
		edit       func()
		wantErr    string
	}{
		{"replace the image under static/", "static/img/map.png",
			func() { fsys["static/img/map.png"] = &fstest.MapFile{Data: testPNG(t, 300, 200)} }, ""},
		{"replace the lead image", "content/2013-sale/signing.jpg",
			func() { fsys["content/2013-sale/signing.jpg"] = &fstest.MapFile{Data: testJPEG(t, 500, 500)} }, ""},
		{"delete the image under static/", "static/img/map.png",
			func() { delete(fsys, "static/img/map.png") }, "error DS602: image static/img/map.png: no such file"},
		{"bring it back", "static/img/map.png",
			func() { fsys["static/img/map.png"] = &fstest.MapFile{Data: testPNG(t, 640, 480)} }, ""},
		{"delete the linked file", "content/2013-sale/memo.pdf",
			func() { delete(fsys, "content/2013-sale/memo.pdf") }, "error DS609: link to content/2013-sale/memo.pdf"},
	}
	for _, step := range steps {
		step.edit()
		got, err := w.Build(context.Background(), fsys, Options{Theme: theme, Changes: &Changes{Paths: []string{step.path}}})
		want, wantErr := Build(context.Background(), fsys, Options{Theme: theme})
		if step.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), step.wantErr) || wantErr == nil || err.Error() != wantErr.Error() {
				t.Fatalf("%s: told rebuild: %v\nclean build: %v\nwant %q", step.name, err, wantErr, step.wantErr)
			}
			continue
		}
		if err != nil || wantErr != nil {
			t.Fatalf("%s: told rebuild: %v, clean build: %v", step.name, err, wantErr)
		}
		if !slices.Equal(got.Paths(), want.Paths()) {
			t.Fatalf("%s: the told rebuild writes\n%s\na clean build\n%s", step.name, strings.Join(got.Paths(), "\n"), strings.Join(want.Paths(), "\n"))
		}
		for _, p := range want.Paths() {
			if g, _ := got.File(p); string(g) != string(must(want.File(p))) {
				t.Errorf("%s: %s differs from a clean build's", step.name, p)
			}
		}
	}
}
