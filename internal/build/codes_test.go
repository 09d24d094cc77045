package build

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// unreachable lists codes no input can trigger through Build, and why;
// every other build code must be triggered by a case below (the check
// codes DS5xx are covered in internal/check).
var unreachable = map[diag.Code]string{
	diag.BadMarkdown: "goldmark's renderer cannot fail writing to memory; the code guards a future renderer",
	diag.Internal:    "a bug in dealsite, not an input: panic_test.go triggers it with a file system that panics",
	diag.BrokenMedia: "a check code, like DS5xx: covered in internal/check",
}

func TestEveryBuildCodeIsTriggered(t *testing.T) {
	settings := "---\ntitle: T\nbase_url: https://example.org/\n---\n"
	ok := func(title string) string { return "---\ntitle: " + title + "\ndate: 2011-01-01\n---\nx\n" }
	cases := []struct {
		code  diag.Code
		files fstest.MapFS
		theme fs.FS // nil: the default theme
	}{
		{diag.NoContent, fstest.MapFS{"README.md": {Data: []byte("x")}}, nil},
		{diag.Unreadable, fstest.MapFS{"content/denied.md": {Data: []byte(ok("A"))}}, nil},
		{diag.TooLarge, fstest.MapFS{"content/big.md": {Data: make([]byte, content.MaxArticleBytes+1)}}, nil},
		{diag.NotRegular, fstest.MapFS{"content/fifo.md": {Mode: fs.ModeNamedPipe}}, nil},
		{diag.LinkedDir, fstest.MapFS{"content/more": {Data: []byte("../archive"), Mode: fs.ModeSymlink}, "archive/a.md": {Data: []byte(ok("A"))}}, nil},
		{diag.NoFrontMatter, fstest.MapFS{"content/a.md": {Data: []byte("text\n")}}, nil},
		{diag.UnknownField, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\ntag: x\n---\n")}}, nil},
		{diag.BadYAML, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: [x\n---\n")}}, nil},
		{diag.MissingField, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\n---\n")}}, nil},
		{diag.WrongType, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\ndraft: maybe\n---\n")}}, nil},
		{diag.BadDate, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-02-30\n---\n")}}, nil},
		{diag.BadSlug, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\nslug: Not Safe\n---\n")}}, nil},
		{diag.BadSource, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\nsources:\n  - url: https://x.example/\n---\n")}}, nil},
		{diag.BadRange, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\nend_date: 2010-01-01\n---\n")}}, nil},
		{diag.DuplicateField, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ntitle: B\ndate: 2011-01-01\n---\n")}}, nil},
		{diag.EmptyField, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: \"\"\ndate: 2011-01-01\n---\n")}}, nil},
		{diag.UnclosedFront, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\n")}}, nil},
		{diag.BadEra, fstest.MapFS{"content/_index.md": {Data: []byte("---\nbase_url: https://example.org/\neras: [just text]\n---\n")}}, nil},
		{diag.BadBaseURL, fstest.MapFS{"content/_index.md": {Data: []byte("---\nbase_url: example.org\n---\n")}}, nil},
		{diag.TooManyTerms, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\ntags: [" + strings.Repeat("t, ", 100) + "t]\n---\n")}}, nil},
		{diag.TooDeep, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + strings.Repeat("> ", 101) + "x\n")}}, nil},
		{diag.FrontLimit, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\ntags: " + strings.Repeat("[", 101) + strings.Repeat("]", 101) + "\n---\n")}}, nil},
		{diag.BadScheme, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "[x](javascript:alert(1))\n")}}, nil},
		{diag.LinkOutside, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "[x](../README.md)\n")}}, nil},
		{diag.HeadingID, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "## Contents {#toc-heading}\n")}}, nil},
		{diag.MissingTarget, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "[x](b.md)\n")}}, nil},
		{diag.DraftTarget, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "[x](b.md)\n")}, "content/b.md": {Data: []byte("---\ntitle: B\ndate: 2011-01-01\ndraft: true\n---\n")}}, nil},
		{diag.DuplicateSlug, fstest.MapFS{"content/a.md": {Data: []byte(ok("A"))}, "content/x/a.md": {Data: []byte(ok("B"))}}, nil},
		{diag.NoBaseURL, fstest.MapFS{"content/_index.md": {Data: []byte("---\ntitle: T\n---\n")}}, nil},
		{diag.TemplateSyntax, fstest.MapFS{"layouts/404.html": {Data: []byte("{{if}}")}}, nil},
		{diag.TemplateRun, fstest.MapFS{"layouts/404.html": {Data: []byte("{{.Nope}}")}}, nil},
		{diag.UnknownTemplate, fstest.MapFS{"layouts/indx.html": {Data: []byte("x")}}, nil},
		{diag.MissingTemplate, fstest.MapFS{}, fstest.MapFS{"base.html": {Data: []byte("x")}}},
		{diag.StaticClash, fstest.MapFS{"static/index.html": {Data: []byte("x")}}, nil},
		{diag.MissingAlt, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "![](/x.png)\n")}, "static/x.png": {Data: specPNG}}, nil},
		{diag.MissingImage, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "![a map](map.png)\n")}}, nil},
		{diag.NotImage, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "![a map](map.png)\n")}, "content/map.png": {Data: []byte("x")}}, nil},
		{diag.ImageTooLarge, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "![a map](map.png)\n")}, "content/map.png": {Data: make([]byte, content.MaxImageBytes+1)}}, nil},
		{diag.RemoteImage, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "![a map](https://example.com/map.png)\n")}}, nil},
		{diag.ImageOutside, fstest.MapFS{"content/a.md": {Data: []byte(ok("A") + "![a map](../layouts/map.png)\n")}}, nil},
		{diag.BadImageField, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2011-01-01\nimage: map.png\n---\n")}}, nil},
		{diag.BundleMarkdown, fstest.MapFS{"content/a/index.md": {Data: []byte(ok("A"))}, "content/a/b.md": {Data: []byte(ok("B"))}}, nil},
		{diag.MissingFile, fstest.MapFS{"content/a/index.md": {Data: []byte(ok("A") + "[the memo](memo.pdf)\n")}}, nil},
	}
	seen := map[diag.Code]bool{}
	for _, tc := range cases {
		t.Run(string(tc.code), func(t *testing.T) {
			files := fstest.MapFS{"content/_index.md": {Data: []byte(settings)}, "content/ok.md": {Data: []byte(ok("Fine"))}}
			for p, f := range tc.files {
				files[p] = f
			}
			th := theme
			if tc.theme != nil {
				th.Layouts = tc.theme
			}
			if tc.code == diag.NoContent {
				files = tc.files
			}
			_, err := Build(context.Background(), denyingFS{files}, Options{Theme: th})
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want a diag.List", err)
			}
			for _, d := range list {
				if d.Code == tc.code {
					seen[tc.code] = true
					return
				}
			}
			t.Errorf("no %s in:\n%v", tc.code, err)
		})
	}
	for _, info := range diag.Codes {
		if strings.HasPrefix(string(info.Code), "DS5") || unreachable[info.Code] != "" {
			continue
		}
		if !seen[info.Code] {
			t.Errorf("%s (%s) is triggered by no case", info.Code, info.Title)
		}
	}
}

// denyingFS refuses to read content/denied.md, as a file without read
// permission would.
type denyingFS struct{ fstest.MapFS }

func (d denyingFS) Open(name string) (fs.File, error) {
	if name == "content/denied.md" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.MapFS.Open(name)
}

func (d denyingFS) ReadFile(name string) ([]byte, error) {
	if name == "content/denied.md" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.MapFS.ReadFile(name)
}
