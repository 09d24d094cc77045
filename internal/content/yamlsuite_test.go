package content

import (
	"strings"
	"testing"

	yamltestsuite "github.com/goccy/go-yaml/testdata/yaml-test-suite"

	"github.com/dealsite/dealsite/internal/diag"
)

// TestYAMLTestSuite runs the cases of the public yaml-test-suite, as
// goccy/go-yaml's module ships them (read from the module cache, not
// copied here), through the front-matter decoder: no case may panic,
// every problem is one line inside the text, and every case the suite
// marks invalid is an error.
func TestYAMLTestSuite(t *testing.T) {
	cases, err := yamltestsuite.TestSuites()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 300 {
		t.Fatalf("only %d yaml-test-suite cases found", len(cases))
	}
	var invalid, rejected int
	for _, tc := range cases {
		var diags diag.List
		top := decodeYAML("content/x.md", normalize(tc.InYAML), 1, &diags)
		checkSuiteDiags(t, tc.Name, string(tc.InYAML), diags)
		if !tc.Error {
			continue
		}
		invalid++
		if top != nil {
			t.Errorf("%s: invalid YAML accepted:\n%s", tc.Name, tc.InYAML)
			continue
		}
		rejected++
	}
	t.Logf("%d cases; %d of %d invalid ones rejected", len(cases), rejected, invalid)
}

// checkSuiteDiags fails unless every diagnostic is one line and on a
// line of text.
func checkSuiteDiags(t *testing.T, name, text string, diags diag.List) {
	t.Helper()
	lines := strings.Count(text, "\n") + 1
	for _, d := range diags {
		if strings.ContainsAny(d.Error(), "\n\r") || d.Line < 1 || d.Line > lines {
			t.Errorf("%s: diagnostic %q on line %d of %d:\n%s", name, d.Error(), d.Line, lines, text)
		}
	}
}
