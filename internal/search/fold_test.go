package search

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
	"unicode"
)

// sharedCase is one case of testdata/cases.json.
type sharedCase struct {
	In     string   `json:"in"`
	Fold   string   `json:"fold"`
	Tokens []string `json:"tokens"`
}

func readSharedCases(t *testing.T) []sharedCase {
	t.Helper()
	data, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct{ Cases []sharedCase }
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	return file.Cases
}

func TestFoldAndTokens(t *testing.T) {
	for _, c := range readSharedCases(t) {
		if got := Fold(c.In); got != c.Fold {
			t.Errorf("Fold(%q) = %q, want %q", c.In, got, c.Fold)
		}
		if got := Tokens(c.In); !slices.Equal(got, c.Tokens) {
			t.Errorf("Tokens(%q) = %q, want %q", c.In, got, c.Tokens)
		}
	}
}

// TestFoldTableIsFolded: what a code point folds to folds to itself, so
// that folding a query twice, or folding folded text, changes nothing.
func TestFoldTableIsFolded(t *testing.T) {
	for r, f := range foldTable {
		if Fold(f) != f {
			t.Errorf("%q folds to %q, which folds again to %q", r, f, Fold(f))
		}
		for _, fr := range f {
			if !unicode.IsLetter(fr) && !unicode.IsNumber(fr) {
				t.Errorf("%q folds to %q, which is not all letters and digits", r, f)
			}
		}
	}
}
