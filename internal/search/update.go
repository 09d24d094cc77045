package search

import (
	"slices"
	"sync"
)

// An index kept for the next build of a watch or serve session: what
// newIndex made, and what it was made of, so that a build in which a
// few documents changed, came or went updates it instead of inverting
// every article again.
type index struct {
	docs     docList // entries' terms kept
	postings map[string][]uint32
	shards   []shard
	encoded  []*encodedShard // of each shard, once made
	files    map[string]File // by path
	counts   *counts         // a Cache's, or nil
}

// maxUpdated is the share of the articles (1/maxUpdated) above which a
// build inverts every article afresh rather than updating the index.
const maxUpdated = 8

// docChanges is what differs between an index's documents and a
// build's: the positions, in the index, of documents whose postings go
// (deleted, changed or moved to another number), and in the build, of
// those whose postings come (added, changed or moved).
type docChanges struct {
	gone, come []int
}

// changes compares x's documents with docs, whose slots it assigns. It
// returns false when the index cannot be updated: no index, or too many
// changes.
func (x *index) changes(docs *docList) (docChanges, bool) {
	if x == nil {
		return docChanges{}, false
	}
	limit := len(docs.paths)/maxUpdated + 1
	var ch docChanges
	if slices.Equal(x.docs.paths, docs.paths) && slices.Equal(x.docs.years, docs.years) { // the common case, a text edit: no path map needed
		docs.slots, docs.blocks = x.docs.slots, x.docs.blocks
		for i, k := range docs.keys {
			if k != x.docs.keys[i] {
				ch.gone, ch.come = append(ch.gone, i), append(ch.come, i)
				if len(ch.come) > limit {
					return docChanges{}, false
				}
			}
		}
		return ch, true
	}
	docs.slots, docs.blocks = assignSlots(docs.paths, docs.years)
	was := make(map[string]int, len(x.docs.paths))
	for i, p := range x.docs.paths {
		was[p] = i
	}
	for j, p := range docs.paths {
		i, ok := was[p]
		delete(was, p)
		if ok && x.docs.keys[i] == docs.keys[j] && x.docs.slots[i] == docs.slots[j] {
			continue
		}
		if ok {
			ch.gone = append(ch.gone, i)
		}
		ch.come = append(ch.come, j)
	}
	for _, i := range was {
		ch.gone = append(ch.gone, i)
	}
	return ch, len(ch.gone)+len(ch.come) <= 2*limit
}

// update makes the files of docs from x, given their changes: for each
// number a document gone or come held or holds, the postings of its
// old document are replaced by those of its new one (see replace), and
// only the shards holding a term whose postings changed, the chunks of
// a number whose document's record changed, the manifest and the order
// of a year whose documents moved are made anew. The result is what
// newIndex(docs) gives. x becomes the index of docs.
func (x *index) update(docs docList, ch docChanges) []File {
	// With the same documents in the same order, each keeps its number
	// and the order files stay as they are.
	sameOrder := slices.Equal(x.docs.paths, docs.paths) && slices.Equal(x.docs.years, docs.years)
	for _, f := range x.files {
		f.Bytes() // every file of the last index made, before its postings change
	}
	dirty := map[string]docSpan{}
	dirtyChunks, dirtyYears := map[int]bool{}, map[int]bool{}
	goneAt := make(map[int]*Entry, len(ch.gone)) // by number
	for _, i := range ch.gone {
		goneAt[x.docs.slots[i]] = x.docs.entries[i]
		if !sameOrder {
			dirtyYears[x.docs.years[i]] = true
		}
	}
	for _, j := range ch.come {
		id := docs.slots[j]
		old, ok := goneAt[id]
		delete(goneAt, id)
		if !ok || old.doc != docs.entries[j].doc {
			dirtyChunks[id/ChunkSlots] = true
		}
		if !sameOrder {
			dirtyYears[docs.years[j]] = true
		}
		x.replace(id, old, docs.entries[j], dirty)
	}
	for id, old := range goneAt {
		dirtyChunks[id/ChunkSlots] = true
		x.replace(id, old, nil, dirty)
	}
	last := make(map[string]*encodedShard, len(x.shards))
	for i, sh := range x.shards {
		last[sh.key] = x.encoded[i]
	}
	shards := planShards(x.postings)
	postings := x.postings
	files := make(map[string]File, len(x.files))
	keep := func(path string, make func() []byte, clean bool) {
		if old, ok := x.files[path]; ok && clean {
			files[path] = old
			return
		}
		files[path] = File{Path: path, make: sync.OnceValue(make)}
	}
	sameShards := slices.EqualFunc(x.shards, shards, sameKey)
	keep(Manifest, func() []byte { return manifest(len(docs.paths), shards, docs.blocks) },
		len(docs.paths) == len(x.docs.paths) && sameShards && slices.Equal(docs.blocks, x.docs.blocks))
	for _, b := range docs.blocks {
		keep(orderPath(b.Year), func() []byte { return encodeOrder(docs, b) }, !dirtyYears[b.Year])
	}
	encoded := make([]*encodedShard, len(shards))
	for i, sh := range shards {
		old := last[sh.key]
		if old != nil && slices.Equal(old.terms, sh.terms) && !slices.ContainsFunc(sh.terms, func(t string) bool { _, ok := dirty[t]; return ok }) {
			encoded[i] = old
			keep(shardPath(sh.key), nil, true)
			continue
		}
		var from *shardUpdate
		if old != nil {
			from = &shardUpdate{encoded: old, changed: dirty}
		}
		keep(shardPath(sh.key), func() []byte {
			encoded[i] = encodeShard(sh.terms, postings, from)
			x.counted(encoded[i])
			return encoded[i].data
		}, false)
	}
	eachChunk(docs.bySlot(), func(n int, chunk []*Entry) {
		keep(chunkPath(n), func() []byte { return encodeChunk(chunk) }, !dirtyChunks[n])
	})
	x.docs, x.shards, x.encoded, x.files = docs, shards, encoded, files
	return x.sorted()
}

// counted adds the entries e encoded to x's counts.
func (x *index) counted(e *encodedShard) {
	if x.counts != nil {
		x.counts.termsEncoded.Add(int64(e.fresh))
		x.counts.postings.Add(int64(e.postings))
	}
}

// replace puts the postings of entry now for document id in place of
// those of was (either may be nil), and marks dirty the terms whose
// postings change: a term of both with the same fields keeps its
// posting, so that a text edit dirties only the words it adds or
// removes, not every word of the article (whose common ones have
// postings in most documents).
func (x *index) replace(id int, was, now *Entry, dirty map[string]docSpan) {
	var old map[string]uint8
	if was != nil {
		old = make(map[string]uint8, len(was.terms)/8)
		was.eachTerm(func(t []byte, fields uint8) { old[string(t)] = fields })
	}
	if now != nil {
		now.eachTerm(func(t []byte, fields uint8) {
			f, ok := old[string(t)]
			if ok {
				delete(old, string(t))
				if f == fields {
					return
				}
			}
			term := string(t)
			dirty[term] = dirty[term].with(id)
			list := x.postings[term]
			if ok {
				list = withoutDoc(list, id)
			}
			x.postings[term] = withDoc(list, uint32(id)<<fieldBits|uint32(fields))
		})
	}
	for term := range old {
		dirty[term] = dirty[term].with(id)
		x.postings[term] = withoutDoc(x.postings[term], id)
		if len(x.postings[term]) == 0 {
			delete(x.postings, term)
		}
	}
}

// docSpan is the least and greatest document numbers whose postings of
// a term an update changed: the term's new encoding copies the rest
// from its last one (see splicePostings). The zero docSpan is empty.
type docSpan struct {
	lo, hi int
	set    bool
}

func (d docSpan) with(id int) docSpan {
	if !d.set {
		return docSpan{id, id, true}
	}
	return docSpan{min(d.lo, id), max(d.hi, id), true}
}

func sameKey(a, b shard) bool { return a.key == b.key }

// sorted is x's files in path order.
func (x *index) sorted() []File {
	paths := make([]string, 0, len(x.files))
	for p := range x.files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	out := make([]File, len(paths))
	for i, p := range paths {
		out[i] = x.files[p]
	}
	return out
}

// withoutDoc returns list, sorted by document, without document id. It
// changes list in place: update has made every file of the last index
// before any postings change, so none reads them any more.
func withoutDoc(list []uint32, id int) []uint32 {
	i, found := slices.BinarySearchFunc(list, id, func(p uint32, id int) int { return int(p>>fieldBits) - id })
	if !found {
		return list
	}
	return slices.Delete(list, i, i+1)
}

// withDoc returns list with posting p put in its place by document, in
// place as withoutDoc.
func withDoc(list []uint32, p uint32) []uint32 {
	i, _ := slices.BinarySearchFunc(list, p>>fieldBits, func(q, id uint32) int { return int(q>>fieldBits) - int(id) })
	return slices.Insert(list, i, p)
}
