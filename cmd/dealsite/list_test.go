package main_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestListJSONTypes: text columns stay text in -format json whatever they
// look like (a title "1984", a tag "2012"), and counts are numbers.
func TestListJSONTypes(t *testing.T) {
	files := smallSite()
	files["content/1984.md"] = "---\ntitle: \"1984\"\ndate: 1984\ntags: [\"2012\"]\nparties: [\"3\"]\n---\nx\n"
	site := newSite(t, files)
	for _, tt := range []struct {
		kind, match string
		want        map[string]any
	}{
		{"articles", "1984", map[string]any{"date": "1984", "title": "1984", "status": "published", "path": "content/1984.md"}},
		{"tags", "2012", map[string]any{"name": "2012", "slug": "2012", "published": 1.0, "drafts": 0.0}},
		{"parties", "3", map[string]any{"name": "3", "slug": "3", "published": 1.0, "drafts": 0.0}},
		{"years", "1984", map[string]any{"year": 1984.0, "published": 1.0, "drafts": 0.0}},
	} {
		r := runIn(t, site, "list", "-format", "json", tt.kind)
		if r.code != 0 {
			t.Fatalf("list %s: %s", tt.kind, r)
		}
		got, want := jsonOf(jsonRowWith(t, r.stdout, tt.match)), jsonOf(tt.want)
		if got != want {
			t.Errorf("list -format json %s:\ngot  %s\nwant %s", tt.kind, got, want)
		}
	}
}

// jsonRowWith finds the JSON line whose title, name or year prints as
// match.
func jsonRowWith(t *testing.T, out, match string) map[string]any {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("not JSON: %q: %v", line, err)
		}
		for _, key := range []string{"title", "name", "year"} {
			if v, ok := row[key]; ok && fmt.Sprint(v) == match {
				return row
			}
		}
	}
	t.Fatalf("no row for %q in:\n%s", match, out)
	return nil
}

// jsonOf prints v as JSON, keys sorted.
func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
