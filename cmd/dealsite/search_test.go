package main_test

import (
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestServeSearchIndexStaysFresh: serve serves the search index like any
// output file, so after an edit and the rebuild the new title's words
// find the article, and words of a draft are found only with -drafts.
func TestServeSearchIndexStaysFresh(t *testing.T) {
	files := smallSite()
	files["content/draft.md"] = "---\ntitle: Hushhush merger\ndate: 2012-01-01\ndraft: true\n---\nx\n"
	site := newSite(t, files)
	p := startProc(t, "serve", "-site", site, "-addr", "127.0.0.1:0", "-drafts")
	p.waitLines(servingLine, 1)
	base := servedBase(p)
	if got := searchIndex(t, base, "hushhush"); !slices.Equal(got, []string{"articles/draft/"}) {
		t.Errorf("with -drafts, hushhush finds %q, want the draft", got)
	}
	if got := searchIndex(t, base, "zanzibar"); len(got) != 0 {
		t.Fatalf("zanzibar finds %q before the edit", got)
	}
	writeFiles(t, site, map[string]string{"content/gamma.md": lines(
		"---", `title: "Gamma buys Zanzibar"`, "date: 2013", "slug: gamma-deal", `tags: ["Acquisition"]`, "---",
		"Gamma happened some time in 2013.")})
	p.waitFor("the new title in the served index", func() bool {
		return slices.Equal(searchIndex(t, base, "zanzibar"), []string{"articles/gamma-deal/"})
	})
	p.stop()

	out := t.TempDir()
	build(t, site, out)
	if got := builtIndex(t, out, "hushhush"); len(got) != 0 {
		t.Errorf("without -drafts, hushhush finds %q", got)
	}
	if got := builtIndex(t, out, "zanzibar"); !slices.Equal(got, []string{"articles/gamma-deal/"}) {
		t.Errorf("the build's index: zanzibar finds %q", got)
	}
}

func servedBase(p *proc) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.out {
		if m := servingLine.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}

// searchIndex looks term up in the index served at base, as search.js
// does for a whole word: the shard whose key is the longest prefix of
// term, its posting list, and the documents' page folders.
func searchIndex(t *testing.T, base, term string) []string {
	t.Helper()
	return lookup(t, func(path string) []byte {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		return b
	}, term)
}

func builtIndex(t *testing.T, out, term string) []string {
	t.Helper()
	return lookup(t, func(path string) []byte { return []byte(readFile(t, out+"/"+path)) }, term)
}

func lookup(t *testing.T, get func(path string) []byte, term string) []string {
	t.Helper()
	var m struct {
		Chunk  int
		Shards []string
	}
	if err := json.Unmarshal(get("search/index.json"), &m); err != nil {
		t.Fatal(err)
	}
	key := ""
	for _, k := range m.Shards {
		if strings.HasPrefix(term, k) && len(k) > len(key) {
			key = k
		}
	}
	if key == "" {
		return nil
	}
	var shard map[string]string
	if err := json.Unmarshal(get("search/t/"+hex.EncodeToString([]byte(key))+".json"), &shard); err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, id := range decodeDocs(shard[term]) {
		var chunk [][]string
		if err := json.Unmarshal(get("search/d/"+strconv.Itoa(id/m.Chunk)+".json"), &chunk); err != nil {
			t.Fatal(err)
		}
		rels = append(rels, chunk[id%m.Chunk][0])
	}
	return rels
}

// decodeDocs reads the document numbers of a posting list (see package
// internal/search).
func decodeDocs(s string) []int {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var ids []int
	id, v, shift := -1, 0, 0
	for _, c := range []byte(s) {
		d := strings.IndexByte(digits, c)
		v |= (d & 31) << shift
		if d&32 != 0 {
			shift += 5
			continue
		}
		id += v>>4 + 1 // a gap is written less one
		ids = append(ids, id)
		v, shift = 0, 0
	}
	return ids
}
