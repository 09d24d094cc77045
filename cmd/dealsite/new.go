package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dealsite/dealsite/internal/content"
)

type newFlags struct {
	site, date, tags, parties string
}

// runNew writes a new article file with complete front matter.
func runNew(args []string, now time.Time, stdout, stderr io.Writer) error {
	var f newFlags
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	fs.StringVar(&f.site, "site", ".", "site folder")
	fs.StringVar(&f.date, "date", now.Format("2006-01-02"), "event date, YYYY-MM-DD (YYYY-MM and YYYY work too)")
	fs.StringVar(&f.tags, "tags", "", "comma-separated tags")
	fs.StringVar(&f.parties, "parties", "", "comma-separated parties")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dealsite new [flags] \"Title\"\n\nWrites content/<date>-<slug>.md with complete front matter and prints its path.\nIt never overwrites a file.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	title, err := parseWithTitle(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	date, err := content.ParseDate(f.date)
	if err != nil {
		return usageError{"-date: " + err.Error()}
	}
	slug := content.Slugify(title)
	if slug == "" {
		return usageError{fmt.Sprintf("cannot make a file name from the title %q; use letters or digits", title)}
	}
	rel := filepath.Join(content.Dir, date.ISO()+"-"+slug+".md")
	if err := createExclusive(filepath.Join(f.site, rel), articleTemplate(title, date, splitList(f.tags), splitList(f.parties))); err != nil {
		return err
	}
	fmt.Fprintln(stdout, rel)
	fmt.Fprintln(stderr, "Created as a draft: delete draft: true to publish, or preview it with dealsite serve -drafts.")
	return nil
}

// parseWithTitle accepts flags before and after the one title argument.
func parseWithTitle(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (string, error) {
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return "", err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return "", usageError{"new: give the article's title, e.g. dealsite new \"Microsoft buys Nokia's phone business\""}
	}
	title := rest[0]
	if err := parseArgs(fs, rest[1:], stdout, stderr); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", usageError{fmt.Sprintf("new: unexpected argument %q (quote a title with spaces)", fs.Arg(0))}
	}
	if strings.TrimSpace(title) == "" {
		return "", usageError{"new: the title is empty"}
	}
	return strings.TrimSpace(title), nil
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// articleTemplate is a new article with every field, ready to fill in.
// Strings are written as JSON strings, which are valid YAML and safe
// whatever the title contains.
func articleTemplate(title string, date content.Date, tags, parties []string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\n", quoteYAML(title), date.ISO())
	b.WriteString("summary: \"\"   # optional: one or two sentences; default: the first paragraph\n")
	fmt.Fprintf(&b, "tags: %s\nparties: %s\n", yamlList(tags), yamlList(parties))
	b.WriteString("value: \"\"     # optional, e.g. \"$7.2 billion\"\n")
	b.WriteString("sources: []   # e.g. - {title: \"...\", url: \"https://...\", publisher: \"...\", date: 2013-09-03}\n")
	b.WriteString("draft: true   # delete this line to publish\n---\n")
	b.WriteString("Write what happened here, in your own words.\n")
	return []byte(b.String())
}

func quoteYAML(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func yamlList(items []string) string {
	quoted := make([]string, len(items))
	for i, item := range items {
		quoted[i] = quoteYAML(item)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// createExclusive writes data to a temporary file beside path and links
// it into place, so a watcher sees one complete file and an existing
// file is never replaced.
func createExclusive(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".dealsite-new-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists; choose another title or -date", path)
		}
		return err
	}
	return nil
}
