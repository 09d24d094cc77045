package search

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dealsite/dealsite/internal/site"
	"golang.org/x/sync/errgroup"
)

// Dir is the folder of the index files, under the base URL. The search
// page, search/index.html, is rendered beside them.
const Dir = "search/"

// Manifest is the path of the index's manifest.
const Manifest = Dir + "index.json"

// Version is the index format's version, in the manifest; the script
// refuses another.
const Version = 1

// ChunkDocs is how many documents a document chunk holds: a result page
// of ten fetches at most ten chunks, so they are kept small.
const ChunkDocs = 8

// shardLimit is the size in bytes above which a shard is split into
// shards of longer keys, when its terms are longer than its key.
const shardLimit = 24 << 10

// keyLen is the length, in code points, of a shard's key before any
// split.
const keyLen = 2

// File is one file of the index.
type File struct {
	Path string // relative to the output folder: "search/t/6e6f.json"
	make func() []byte
}

// Bytes makes the file's content. Calls may run at once, on every CPU,
// which is how the render plan makes the shards and chunks; each call
// makes the bytes anew.
func (f File) Bytes() []byte { return f.make() }

// Build makes the index files of s, in path order. cache, when not nil,
// keeps each article's Entry between builds, and the files of the last
// build, made once, which a build whose entries are all the same takes
// whole (an edit of a template or a stylesheet); the result is the same
// with or without it.
func Build(s *site.Site, cache *Cache) ([]File, error) {
	entries, keys, err := analyzeAll(s.Articles, cache)
	if err != nil {
		return nil, err
	}
	if cache == nil {
		return buildFiles(entries, true), nil
	}
	return cache.files(entries, keys), nil
}

// buildFiles makes the files of the entries, in the site's order. With
// once, each file's bytes are made anew at each call and the entries'
// terms are dropped once inverted; else they are made once and kept.
func buildFiles(entries []Entry, once bool) []File {
	return newIndex(entries, nil, once).sorted()
}

// newIndex inverts entries, with keys, into an index and its files (see
// buildFiles for once).
func newIndex(entries []Entry, keys []uint64, once bool) *index {
	n := len(entries)
	docs := make([]*Entry, n) // newest first
	for i := range entries {
		docs[n-1-i] = &entries[i]
	}
	x := &index{keys: keys, entries: entries, postings: invert(docs)}
	if once {
		for i := range entries {
			entries[i].terms = nil // inverted: only the records are still needed
		}
	}
	x.shards = planShards(x.postings)
	x.files = make(map[string]File, len(x.shards)+n/ChunkDocs+2)
	add := func(path string, make func() []byte) {
		if !once {
			make = sync.OnceValue(make)
		}
		x.files[path] = File{Path: path, make: make}
	}
	add(Manifest, func() []byte { return manifest(n, x.shards) })
	for _, sh := range x.shards {
		add(shardPath(sh.key), func() []byte { return encodeShard(sh.terms, x.postings) })
	}
	for start := 0; start < n; start += ChunkDocs {
		chunk := docs[start:min(n, start+ChunkDocs)]
		add(chunkPath(start/ChunkDocs), func() []byte { return encodeChunk(chunk) })
	}
	return x
}

// analyzeAll analyses every article on every CPU, taking unchanged ones
// from cache, and returns their entries and, with a cache, their keys.
// The first error, in article order, is returned.
func analyzeAll(articles []*site.Article, cache *Cache) ([]Entry, []uint64, error) {
	entries := make([]Entry, len(articles))
	keys := make([]uint64, len(articles))
	errs := make([]error, len(articles))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	const batch = 64 // articles a goroutine takes at once, with one analyzer's memory
	for start := 0; start < len(articles); start += batch {
		g.Go(func() error {
			var z analyzer
			for i := start; i < min(start+batch, len(articles)); i++ {
				entries[i], keys[i], errs[i] = cache.analyze(&z, articles[i])
			}
			return nil
		})
	}
	g.Wait()
	cache.retain(articles)
	for i, err := range errs {
		if err != nil {
			return nil, nil, &Error{Path: articles[i].Path, Err: err}
		}
	}
	return entries, keys, nil
}

// Error is a failure to index one article: its body could not be read.
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": indexing for search: " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// invert lists, for every term, its postings in document order: the
// document number shifted left by fieldBits, or-ed with the fields.
func invert(docs []*Entry) map[string][]uint32 {
	lists := map[string]*[]uint32{} // by pointer: a lookup by []byte allocates no string
	for id, e := range docs {
		e.eachTerm(func(t []byte, fields uint8) {
			p := uint32(id)<<fieldBits | uint32(fields)
			if l, ok := lists[string(t)]; ok {
				*l = append(*l, p)
			} else {
				lists[string(t)] = &[]uint32{p}
			}
		})
	}
	postings := make(map[string][]uint32, len(lists))
	for t, l := range lists {
		postings[t] = *l
	}
	return postings
}

// shard is one term shard: its key and its terms, sorted.
type shard struct {
	key   string
	terms []string
}

// planShards groups the terms by their first keyLen code points, then
// splits each group that is over shardLimit by one more code point, and
// so on: a term then lives in the shard with the longest key that is a
// prefix of it. A group whose terms are all as long as its key cannot
// split. Shards come out sorted by key.
func planShards(postings map[string][]uint32) []shard {
	terms := make([]string, 0, len(postings))
	for t := range postings {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	var shards []shard
	var split func(g shard, n int)
	split = func(g shard, n int) {
		if shardSize(g.terms, postings) <= shardLimit {
			shards = append(shards, g)
			return
		}
		own := shard{key: g.key}
		var longer []string
		for _, t := range g.terms {
			if runeCount(t) <= n {
				own.terms = append(own.terms, t)
			} else {
				longer = append(longer, t)
			}
		}
		if len(longer) == 0 {
			shards = append(shards, g)
			return
		}
		if len(own.terms) > 0 {
			shards = append(shards, own)
		}
		for _, sub := range groupBy(longer, n+1) {
			split(sub, n+1)
		}
	}
	for _, g := range groupBy(terms, keyLen) {
		split(g, keyLen)
	}
	slices.SortFunc(shards, func(a, b shard) int { return strings.Compare(a.key, b.key) })
	return shards
}

// groupBy groups sorted terms by their first n code points.
func groupBy(terms []string, n int) []shard {
	var groups []shard
	for _, t := range terms {
		k := prefix(t, n)
		if len(groups) == 0 || groups[len(groups)-1].key != k {
			groups = append(groups, shard{key: k})
		}
		g := &groups[len(groups)-1]
		g.terms = append(g.terms, t)
	}
	return groups
}

// prefix is the first n code points of s, or s.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// shardSize estimates a shard's file size.
func shardSize(terms []string, postings map[string][]uint32) int {
	size := 0
	for _, t := range terms {
		size += len(t) + 6 + 2*len(postings[t])
	}
	return size
}

func shardPath(key string) string { return Dir + "t/" + hex.EncodeToString([]byte(key)) + ".json" }

func chunkPath(n int) string { return Dir + "d/" + strconv.Itoa(n) + ".json" }

// digits is the alphabet of encoded postings: URL-safe base64, which
// JSON strings carry without escapes.
const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// encodePostings writes a posting list as described in the package doc.
func encodePostings(b *bytes.Buffer, list []uint32) {
	prev := -1
	for _, p := range list {
		id := int(p >> fieldBits)
		v := uint64(id-prev)<<fieldBits | uint64(p&(1<<fieldBits-1))
		prev = id
		for v >= 32 {
			b.WriteByte(digits[32|v&31])
			v >>= 5
		}
		b.WriteByte(digits[v])
	}
}

func encodeShard(terms []string, postings map[string][]uint32) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, t)
		b.WriteString(`:"`)
		encodePostings(&b, postings[t])
		b.WriteByte('"')
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func encodeChunk(docs []*Entry) []byte {
	rows := make([][5]string, len(docs))
	for i, e := range docs {
		d := e.doc
		rows[i] = [5]string{d.rel, d.title, d.when, d.parties, d.snippet}
	}
	return marshal(rows)
}

// manifestFile is search/index.json.
type manifestFile struct {
	Version int               `json:"version"`
	Docs    int               `json:"docs"`
	Chunk   int               `json:"chunk"`
	Fold    map[string]string `json:"fold"`
	Shards  []string          `json:"shards"`
}

func manifest(docs int, shards []shard) []byte {
	m := manifestFile{Version: Version, Docs: docs, Chunk: ChunkDocs, Fold: FoldGroups(), Shards: make([]string, len(shards))}
	for i, s := range shards {
		m.Shards[i] = s.key
	}
	return marshal(m)
}

// FoldGroups is the fold table as the manifest carries it: for each
// folding, the code points that fold to it, in order.
func FoldGroups() map[string]string {
	keys := make([]rune, 0, len(foldTable))
	for r := range foldTable {
		keys = append(keys, r)
	}
	slices.Sort(keys)
	groups := map[string]string{}
	for _, r := range keys {
		groups[foldTable[r]] += string(r)
	}
	return groups
}

func writeJSONString(b *bytes.Buffer, s string) {
	data, _ := json.Marshal(s) // a string always encodes
	b.Write(data)
}

// marshal encodes v as one line of JSON; v is always encodable.
func marshal(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return append(data, '\n')
}
