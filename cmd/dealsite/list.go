package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"text/tabwriter"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// listKinds are what `dealsite list` can show.
var listKinds = []string{"articles", "drafts", "tags", "parties", "years"}

func runList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var siteDir, format string
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.StringVar(&siteDir, "site", ".", "site folder")
	fs.StringVar(&format, "format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dealsite list [flags] articles|drafts|tags|parties|years\n\nShows what the site will publish, with counts.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 || !contains(listKinds, fs.Arg(0)) {
		return usageError{"list: say what to list: articles, drafts, tags, parties or years"}
	}
	if format != "text" && format != "json" {
		return usageError{"list: -format must be text or json"}
	}
	diagOut, _ := newOutput("text", stderr)
	siteFS, done := openSite(siteDir)
	defer done()
	s, err := reviewDrafts(siteFS, nil)
	if err != nil {
		return diagOut.printDiagnostics(stderr, err, "list failed: fix these first")
	}
	rows := listRows(s, fs.Arg(0))
	if format == "json" {
		return writeJSONRows(stdout, rows)
	}
	return writeTable(stdout, rows)
}

// table is a header and rows of cells; JSON output uses the header as
// keys. A cell keeps its type: counts and years are ints, everything
// else is text, even a title like "1984".
type table struct {
	header []string
	rows   [][]any
}

func listRows(s *site.Site, kind string) table {
	switch kind {
	case "articles", "drafts":
		t := table{header: []string{"date", "title", "status", "path"}}
		for _, a := range s.Articles {
			if kind == "drafts" && !a.Draft {
				continue
			}
			t.rows = append(t.rows, []any{a.Date.ISO(), a.Title, status(a), a.Path})
		}
		return t
	case "years":
		t := table{header: []string{"year", "published", "drafts"}}
		for _, y := range s.Years {
			pub, drafts := count(y.Articles)
			t.rows = append(t.rows, []any{y.Year, pub, drafts})
		}
		return t
	}
	terms := s.Tags
	if kind == "parties" {
		terms = s.Parties
	}
	t := table{header: []string{"name", "slug", "published", "drafts"}}
	for _, term := range terms {
		pub, drafts := count(term.Articles)
		t.rows = append(t.rows, []any{term.Name, term.Slug, pub, drafts})
	}
	return t
}

func status(a *site.Article) string {
	if a.Draft {
		return "draft"
	}
	return "published"
}

func count(articles []*site.Article) (published, drafts int) {
	p, d := 0, 0
	for _, a := range articles {
		if a.Draft {
			d++
		} else {
			p++
		}
	}
	return p, d
}

func writeTable(w io.Writer, t table) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, h := range t.header {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, upper(h))
	}
	fmt.Fprintln(tw)
	for _, row := range t.rows {
		for i, cell := range row {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, cell)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// writeJSONRows prints one JSON object per row, each cell as its type.
func writeJSONRows(w io.Writer, t table) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, row := range t.rows {
		obj := map[string]any{}
		for i, h := range t.header {
			obj[h] = row[i]
		}
		if err := enc.Encode(obj); err != nil {
			return err
		}
	}
	return nil
}

// reviewDrafts loads the site with its drafts as drafts: included, so
// list can count them and check can find their pages and warn about
// their links, but not published, so their problems fail nothing that
// build would pass. The base URL does not change which folder a page
// gets, so a placeholder stands in for it. spill, when not nil, is an
// empty file that takes the article bodies (see content.Spill): the site
// returned can then be read only while it is open.
func reviewDrafts(siteFS fs.FS, spill content.ReadWriterAt) (*site.Site, error) {
	loader := content.NewLoader()
	if spill != nil {
		loader.Spill = content.NewSpill(spill)
	}
	c, err := loader.Load(siteFS)
	if err != nil {
		return nil, err
	}
	return site.New(c, site.Options{ReviewDrafts: true, BaseURL: "http://localhost/"})
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
