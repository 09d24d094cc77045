package search

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSharedCasesInJavaScript runs static/js/search.js in Node on the
// shared cases, with the Go results and the fold table the manifest
// carries: the script must fold and cut text into the same terms as the
// index, and decode the posting lists Go encodes. It skips without
// Node, unless DEALSITE_BROWSER_TESTS=1 (as in CI) makes that a failure.
func TestSharedCasesInJavaScript(t *testing.T) {
	node := needNode(t)
	cases := readSharedCases(t)
	for i := range cases {
		cases[i].Fold, cases[i].Tokens = Fold(cases[i].In), Tokens(cases[i].In)
		if cases[i].Tokens == nil {
			cases[i].Tokens = []string{}
		}
	}
	input := map[string]any{"fold": FoldGroups(), "cases": cases, "postings": postingCases(), "queries": queryCases}
	data, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "input.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, "testdata/fold_test.mjs", file).CombinedOutput()
	t.Logf("node testdata/fold_test.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("search.js disagrees with the index: %v", err)
	}
}

// postingCases are posting lists, encoded, with what the script must
// decode them to: [document, fields, document, fields…].
func postingCases() []map[string]any {
	lists := [][]uint32{
		{0<<fieldBits | Body},
		{0<<fieldBits | Title | Body, 1<<fieldBits | Facts, 2<<fieldBits | Summary},
		{5<<fieldBits | Body, 40<<fieldBits | Title, 1000<<fieldBits | Facts, 99999<<fieldBits | Body | Summary | Facts | Title},
	}
	var out []map[string]any
	for _, l := range lists {
		var b bytes.Buffer
		encodePostings(&b, l)
		decoded := []uint32{}
		for _, p := range l {
			decoded = append(decoded, p>>fieldBits, p&(1<<fieldBits-1))
		}
		out = append(out, map[string]any{"encoded": b.String(), "list": decoded})
	}
	return out
}

type queryWord struct {
	Term   string `json:"term"`
	Prefix bool   `json:"prefix"`
}

type query struct {
	Words   []queryWord `json:"words"`
	Phrases [][]string  `json:"phrases"`
	Filters []string    `json:"filters"`
}

// queryCases are queries as the script must read them: the last word a
// prefix while it is typed (two code points or more), phrases, filters.
var queryCases = []map[string]any{
	{"in": "Nokia micro", "want": query{Words: []queryWord{{"nokia", false}, {"micro", true}}, Phrases: [][]string{}, Filters: []string{}}},
	{"in": "nokia ", "want": query{Words: []queryWord{{"nokia", false}}, Phrases: [][]string{}, Filters: []string{}}},
	{"in": "São B", "want": query{Words: []queryWord{{"sao", false}, {"b", false}}, Phrases: [][]string{}, Filters: []string{}}},
	{"in": `"phone business" year:2013 Tag:Acquisition`, "want": query{Words: []queryWord{{"phone", false}, {"business", false}}, Phrases: [][]string{{"phone", "business"}}, Filters: []string{"year:2013", "tag:acquisition"}}},
	{"in": `"windows pho`, "want": query{Words: []queryWord{{"windows", false}, {"pho", true}}, Phrases: [][]string{{"windows", "pho"}}, Filters: []string{}}},
}
