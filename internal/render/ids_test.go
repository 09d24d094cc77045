package render

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dealsite/dealsite/layouts"
)

func TestIDsAreTheThemesLiteralIDs(t *testing.T) {
	site := fstest.MapFS{"layouts/partials/extra.html": {Data: []byte(`{{define "extra"}}<div id='extra'></div><p id="n-{{.}}"></p>{{end}}`)}}
	tm, err := LoadTemplates(site, layouts.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := "eras-heading events-heading extra main related-heading search-years site-search-q sources-heading toc-heading year-index-heading"
	if got := strings.Join(tm.IDs(), " "); got != want {
		t.Errorf("IDs = %s, want %s", got, want)
	}
}
