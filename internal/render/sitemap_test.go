package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// splitURLs keeps each file within the byte limit as encoded (escapes
// included), within the URL limit, and the URLs in order.
func TestSplitURLsBySizeAndCount(t *testing.T) {
	var urls []sitemapURL
	for i := range 500 {
		loc := fmt.Sprintf("https://example.org/deals/articles/%s-%d/", strings.Repeat("a", i%40), i)
		if i%7 == 0 {
			loc += "?a=1&b='2'" // escaped to several times its length
		}
		urls = append(urls, sitemapURL{Loc: loc, LastMod: "2013-09-03"})
	}
	for _, tc := range []struct{ maxURLs, maxBytes int }{{50, 1 << 20}, {1000, 4000}, {30, 5000}, {1000, 1 << 20}} {
		chunks := splitURLs(urls, tc.maxURLs, tc.maxBytes)
		if got := slices.Concat(chunks...); !slices.Equal(got, urls) {
			t.Errorf("%+v: the chunks do not hold the URLs in order", tc)
		}
		for i, c := range chunks {
			size := len(marshalXML(urlSet{URLs: c}))
			if len(c) == 0 || len(c) > tc.maxURLs || size > tc.maxBytes {
				t.Errorf("%+v: chunk %d has %d URLs in %d bytes", tc, i, len(c), size)
			}
			if i+1 < len(chunks) && len(c) < tc.maxURLs {
				// Cut for its size: one more would not have fitted.
				if more := len(marshalXML(urlSet{URLs: append(c[:len(c):len(c)], chunks[i+1][0])})); more <= tc.maxBytes {
					t.Errorf("%+v: chunk %d cut at %d bytes though the next URL fits (%d)", tc, i, size, more)
				}
			}
		}
	}
}

// TestEncodeURLSetIsMarshalXML: the sitemap's hand-written encoder
// writes what encoding/xml does, escapes included.
func TestEncodeURLSetIsMarshalXML(t *testing.T) {
	cases := [][]sitemapURL{
		nil,
		{{Loc: "https://example.org/"}},
		{{Loc: "https://example.org/a/", LastMod: "2013-09-03"}, {Loc: "https://example.org/b/"}},
		{{Loc: "https://example.org/?a=1&b='2'\"<x>\t\n\r", LastMod: "2013"}, {Loc: "https://example.org/caf\u00e9/\xff\ufffd\x01/", LastMod: "<&>"}},
	}
	for _, urls := range cases {
		if got, want := encodeURLSet(urls), marshalXML(urlSet{URLs: urls}); !bytes.Equal(got, want) {
			t.Errorf("%q:\ngot  %q\nwant %q", urls, got, want)
		}
	}
}
