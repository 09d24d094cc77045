package search

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"maps"
	"runtime"
	"slices"
	"sort"
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
const Version = 2

// ChunkSlots is how many document numbers a document chunk covers: with
// a third to a half of the numbers in use (see blockSize), five to eight
// documents. A result page of ten fetches at most ten chunks, so
// they are kept small.
const ChunkSlots = 16

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
	docs := docList{paths: make([]string, len(s.Articles)), years: make([]int, len(s.Articles)), entries: entries, keys: keys}
	for i, a := range s.Articles {
		docs.paths[i], docs.years[i] = a.Path, a.Date.Year()
	}
	if cache == nil {
		return newIndex(docs, true).sorted(), nil
	}
	return cache.files(docs), nil
}

// docList is the documents of an index in the site's order (oldest
// first): their source paths, years, entries and, with a cache, keys.
type docList struct {
	paths   []string
	years   []int
	entries []*Entry // each made once, never changed but by a build without a Cache
	keys    []uint64
	slots   []int // their numbers (see assignSlots), once assigned
	blocks  []yearBlock
}

// newIndex inverts docs into an index and its files. With once, each
// file's bytes are made anew at each call and the entries' terms are
// dropped once inverted; else they are made once and kept.
func newIndex(docs docList, once bool) *index {
	docs.slots, docs.blocks = assignSlots(docs.paths, docs.years)
	bySlot := docs.bySlot()
	x := &index{docs: docs, postings: invert(bySlot)}
	if once {
		for i := range docs.entries {
			docs.entries[i].terms = nil // inverted: only the records are still needed
		}
	}
	x.shards = planShards(x.postings)
	x.files = make(map[string]File, len(x.shards)+len(bySlot)/ChunkSlots+3)
	add := func(path string, make func() []byte) {
		if !once {
			make = sync.OnceValue(make)
		}
		x.files[path] = File{Path: path, make: make}
	}
	add(Manifest, func() []byte { return manifest(len(docs.paths), x.shards, docs.blocks) })
	for _, b := range docs.blocks {
		add(orderPath(b.Year), func() []byte { return encodeOrder(docs, b) })
	}
	if !once {
		x.encoded = make([]*encodedShard, len(x.shards))
	}
	encoded := x.encoded // nil in a one-shot build, which keeps no bytes
	for i, sh := range x.shards {
		add(shardPath(sh.key), func() []byte {
			e := encodeShard(sh.terms, x.postings, nil)
			x.counted(e)
			if encoded != nil {
				encoded[i] = e
			}
			return e.data
		})
	}
	eachChunk(bySlot, func(n int, chunk []*Entry) {
		add(chunkPath(n), func() []byte { return encodeChunk(chunk) })
	})
	return x
}

// orderPath is the path of the order file of a year: the numbers of its
// documents, less the first of its block, newest first, which ranks the
// documents of one year that match equally well.
func orderPath(year int) string { return Dir + "o/" + strconv.Itoa(year) + ".json" }

// assignSlots gives each document, by its year and source path, its
// number: a pure function of the documents, so that a clean build and
// a watch session that reached the same site by any edits agree, which
// changes only a few numbers when a document comes or goes. It returns
// the numbers and the years' blocks.
//
// Each year holding c documents has a block of about 2c to 3c numbers
// (see blockSize), after the blocks of the years before it; keeping a
// year's documents together keeps the gaps in the postings of its words
// small, and lets the script tell a document's year from its number.
// Within its year's block, a path hashes to a home; documents taken in
// order of home, then path, each get their home or, when that is
// taken, the number after the last one given, and those that run past
// the block's end the first numbers free from its start. A new document
// thus moves only the few documents after it in its run of consecutive
// numbers (with at most half of the numbers in use, runs are short);
// all documents of the later years move when its year's block grows or
// shrinks, which adding the newest article does not.
func assignSlots(paths []string, years []int) ([]int, []yearBlock) {
	blocks := yearBlocks(years)
	members := map[int][]int{} // by year, the documents' positions
	for i, y := range years {
		members[y] = append(members[y], i)
	}
	slots := make([]int, len(paths))
	for _, b := range blocks {
		b.place(members[b.Year], paths, slots)
	}
	return slots, blocks
}

// place gives the documents at positions of the block's year their
// numbers in slots (see assignSlots).
func (b yearBlock) place(positions []int, paths []string, slots []int) {
	type doc struct{ home, i int }
	docs := make([]doc, len(positions))
	for k, i := range positions {
		docs[k] = doc{b.Start + int(home(paths[i])%uint64(b.Size)), i}
	}
	slices.SortFunc(docs, func(x, y doc) int {
		return cmp.Or(cmp.Compare(x.home, y.home), strings.Compare(paths[x.i], paths[y.i]))
	})
	used := make([]bool, b.Size)
	next := b.Start
	var over []int
	for _, d := range docs {
		s := max(d.home, next)
		if s >= b.Start+b.Size {
			over = append(over, d.i)
			continue
		}
		slots[d.i], used[s-b.Start], next = s, true, s+1
	}
	free := 0
	for _, i := range over {
		for used[free] {
			free++
		}
		slots[i], used[free] = b.Start+free, true
	}
}

// yearBlock is the numbers of a year's documents: Size from Start.
type yearBlock struct{ Year, Start, Size int }

// yearBlocks lays out the years' blocks, in time order (see assignSlots).
func yearBlocks(years []int) []yearBlock {
	count := map[int]int{}
	for _, y := range years {
		count[y]++
	}
	blocks := make([]yearBlock, 0, len(count))
	next := 0
	for _, y := range slices.Sorted(maps.Keys(count)) {
		size := blockSize(count[y])
		blocks = append(blocks, yearBlock{y, next, size})
		next += size
	}
	return blocks
}

// blockSize is the size of the block of a year holding c documents:
// the least of 2, 3, 4, 6, 8, 12, … (the powers of two and one and a
// half times them) that is at least 2c. So a third to a half of the
// numbers are in use: fewer would lengthen the postings' gaps, more the
// runs an insertion moves (at 10,000 generated articles, an insertion
// moves half a document on average).
func blockSize(c int) int {
	for pow := 2; ; pow *= 2 {
		if pow >= 2*c {
			return pow
		}
		if 3*pow >= 4*c {
			return 3 * pow / 2
		}
	}
}

// home hashes a document's path: FNV-1a, its bits then mixed so that
// the low ones depend on every byte.
func home(path string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

// bySlot lists the entries by number, nil where a number is not in use.
func (d docList) bySlot() []*Entry {
	top := 0
	for _, s := range d.slots {
		top = max(top, s+1)
	}
	out := make([]*Entry, top)
	for i, s := range d.slots {
		out[s] = d.entries[i]
	}
	return out
}

// eachChunk calls fn with each chunk number and its entries (nil where
// a number is not in use), for every chunk holding a document.
func eachChunk(bySlot []*Entry, fn func(n int, chunk []*Entry)) {
	for start := 0; start < len(bySlot); start += ChunkSlots {
		chunk := bySlot[start:min(len(bySlot), start+ChunkSlots)]
		if slices.ContainsFunc(chunk, func(e *Entry) bool { return e != nil }) {
			fn(start/ChunkSlots, chunk)
		}
	}
}

// analyzeAll analyses every article on every CPU, or with a cache
// those it does not have (see Cache.analyzeAll), and returns their
// entries and, with a cache, their serials. The first error, in
// article order, is returned.
func analyzeAll(articles []*site.Article, cache *Cache) ([]*Entry, []uint64, error) {
	if cache != nil {
		return cache.analyzeAll(articles)
	}
	entries := make([]*Entry, len(articles))
	if i, err := eachInParallel(len(articles), func(z *analyzer, i int) error {
		body, err := articles[i].Body()
		e := z.analyze(articles[i], string(body))
		entries[i] = &e
		return err
	}); err != nil {
		return nil, nil, &Error{Path: articles[i].Path, Err: err}
	}
	return entries, nil, nil
}

// batch is how many articles a goroutine of eachInParallel analyses,
// with one analyzer's memory.
const batch = 64

// eachInParallel calls fn for 0 … n-1 on every CPU, each batch with an
// analyzer of its own; no more than one batch runs on the caller's
// goroutine alone. It returns the least k whose call failed, and its
// error.
func eachInParallel(n int, fn func(z *analyzer, k int) error) (int, error) {
	errs := make([]error, n)
	run := func(start int) {
		var z analyzer
		for k := start; k < min(start+batch, n); k++ {
			errs[k] = fn(&z, k)
		}
	}
	if n <= batch {
		run(0)
	} else {
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for start := 0; start < n; start += batch {
			g.Go(func() error { run(start); return nil })
		}
		g.Wait()
	}
	for k, err := range errs {
		if err != nil {
			return k, err
		}
	}
	return 0, nil
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
func invert(bySlot []*Entry) map[string][]uint32 {
	lists := map[string]*[]uint32{} // by pointer: a lookup by []byte allocates no string
	for id, e := range bySlot {
		if e == nil {
			continue
		}
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
func encodePostings(b *bytes.Buffer, list []uint32) { encodePostingsAfter(b, list, -1) }

// encodePostingsAfter writes the postings of list that follow document
// prev in a longer list.
func encodePostingsAfter(b *bytes.Buffer, list []uint32, prev int) {
	for _, p := range list {
		id := int(p >> fieldBits)
		writeNumber(b, uint64(id-prev-1)<<fieldBits|uint64(p&(1<<fieldBits-1)))
		prev = id
	}
}

// writeNumber writes v low five bits first, one digit for each five
// bits, with 32 added to every digit but the last.
func writeNumber(b *bytes.Buffer, v uint64) {
	for v >= 32 {
		b.WriteByte(digits[32|v&31])
		v >>= 5
	}
	b.WriteByte(digits[v])
}

// encodeOrder writes the order file of b's year: the numbers of its
// documents less b.Start, newest first, as one string of numbers.
func encodeOrder(docs docList, b yearBlock) []byte {
	var buf bytes.Buffer
	buf.WriteByte('"')
	for i := len(docs.slots) - 1; i >= 0; i-- {
		if docs.years[i] == b.Year {
			writeNumber(&buf, uint64(docs.slots[i]-b.Start))
		}
	}
	buf.WriteString("\"\n")
	return buf.Bytes()
}

// encodedShard is a shard's bytes and where each term's entry in them
// ends, so that an update copies the entries of the terms whose
// postings it did not change rather than encode them again: a shard of
// common words holds some 24 KB of postings.
type encodedShard struct {
	terms    []string
	data     []byte
	ends     []int // of each term's "term":"postings"
	fresh    int   // entries encoded, not copied
	postings int   // postings encoded in them
}

// entry is the bytes of the entry of e's term i.
func (e *encodedShard) entry(i int) []byte {
	start := 1 // after '{'
	if i > 0 {
		start = e.ends[i-1] + 1 // after ','
	}
	return e.data[start:e.ends[i]]
}

// encodeShard writes the shard of terms. With last, the shard of the
// same key as the last index made it, the entries of its terms that
// are not in changed are copied from it, and those that are have their
// postings spliced into their last encoding.
func encodeShard(terms []string, postings map[string][]uint32, last *shardUpdate) *encodedShard {
	var b bytes.Buffer
	b.WriteByte('{')
	e := &encodedShard{terms: terms, ends: make([]int, len(terms))}
	j := 0 // the term's place in last, whose terms are sorted too
	for i, t := range terms {
		if i > 0 {
			b.WriteByte(',')
		}
		var old []byte // the term's entry in last
		if last != nil {
			j += sort.SearchStrings(last.encoded.terms[j:], t)
			if j < len(last.encoded.terms) && last.encoded.terms[j] == t {
				old = last.encoded.entry(j)
			}
		}
		span := docSpan{}
		if last != nil {
			span = last.changed[t]
		}
		switch {
		case old != nil && !span.set:
			b.Write(old)
		case old != nil: // `"term":"postings"`, of which the postings changed
			q := bytes.LastIndexByte(old[:len(old)-1], '"') + 1
			b.Write(old[:q])
			e.postings += splicePostings(&b, old[q:len(old)-1], postings[t], span)
			b.WriteByte('"')
			e.fresh++
		default:
			writeJSONString(&b, t)
			b.WriteString(`:"`)
			encodePostings(&b, postings[t])
			b.WriteByte('"')
			e.postings += len(postings[t])
			e.fresh++
		}
		e.ends[i] = b.Len()
	}
	b.WriteString("}\n")
	e.data = b.Bytes()
	return e
}

// shardUpdate is what an update knows of a shard: its last encoding
// and, for each term whose postings changed, the numbers of the
// documents where they did.
type shardUpdate struct {
	encoded *encodedShard
	changed map[string]docSpan
}

// splicePostings writes list as encodePostings does, given old, its
// last encoding, and span, the documents outside of which list is as it
// was: the numbers of the documents before span are copied from old,
// those from span's first to the first after it are encoded (that
// one's gap may have changed), and the rest copied again. Which bytes
// of old to copy is found by counting the numbers' last digits, without
// reading them: a common word added to or taken from one document thus
// costs a scan of its last encoding rather than an encoding of its
// thousands of postings. It returns how many postings it encoded.
func splicePostings(b *bytes.Buffer, old []byte, list []uint32, span docSpan) int {
	byDoc := func(p uint32, id int) int { return int(p>>fieldBits) - id }
	from, _ := slices.BinarySearchFunc(list, span.lo, byDoc)
	to, _ := slices.BinarySearchFunc(list, span.hi+1, byDoc)
	to = min(to+1, len(list)) // the first after span too
	b.Write(old[:firstNumbers(old, from)])
	prev := -1
	if from > 0 {
		prev = int(list[from-1] >> fieldBits)
	}
	encodePostingsAfter(b, list[from:to], prev)
	b.Write(old[lastNumbers(old, len(list)-to):])
	return to - from
}

// firstNumbers is the length of the first n numbers of an encoding.
func firstNumbers(enc []byte, n int) int {
	i := 0
	for ; n > 0; i++ {
		if digitValue[enc[i]] < 32 { // a number's last digit
			n--
		}
	}
	return i
}

// lastNumbers is where the last n numbers of an encoding start, which
// has more than n.
func lastNumbers(enc []byte, n int) int {
	if n == 0 {
		return len(enc)
	}
	for i := len(enc) - 2; ; i-- { // enc[len-1] ends the last number
		if digitValue[enc[i]] < 32 {
			if n--; n == 0 {
				return i + 1
			}
		}
	}
}

// digitValue is the value of each byte of digits: those under 32 end a
// number.
var digitValue = func() (values [256]byte) {
	for i := range len(digits) {
		values[digits[i]] = byte(i)
	}
	return values
}()

// encodeChunk writes a chunk: null for a number not in use, trailing
// ones left out.
func encodeChunk(docs []*Entry) []byte {
	for len(docs) > 0 && docs[len(docs)-1] == nil {
		docs = docs[:len(docs)-1]
	}
	rows := make([]*[5]string, len(docs))
	for i, e := range docs {
		if e != nil {
			d := e.doc
			rows[i] = &[5]string{d.rel, d.title, d.when, d.parties, d.snippet}
		}
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
	Years   [][3]int          `json:"years"` // year, first number, count of numbers
}

func manifest(docs int, shards []shard, blocks []yearBlock) []byte {
	m := manifestFile{Version: Version, Docs: docs, Chunk: ChunkSlots, Fold: FoldGroups(), Shards: make([]string, len(shards))}
	for _, b := range blocks {
		m.Years = append(m.Years, [3]int{b.Year, b.Start, b.Size})
	}
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
