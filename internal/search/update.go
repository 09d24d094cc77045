package search

import (
	"slices"
	"sync"
)

// An index kept for the next build of a watch or serve session: what
// buildFiles made, and what it was made of, so that a build in which a
// few articles changed (and none moved) updates it instead of inverting
// every article again.
type index struct {
	keys     []uint64 // the entries' keys, in the site's order
	entries  []Entry  // in the site's order, terms kept
	postings map[string][]uint32
	shards   []shard
	files    map[string]File // by path
}

// maxUpdated is the share of the articles (1/maxUpdated) above which a
// build inverts every article afresh rather than updating the index.
const maxUpdated = 8

// changedEntries lists the positions at which keys differ from the last
// index's, and false when the index cannot be updated: no index, another
// number of articles, or too many changed.
func (x *index) changedEntries(keys []uint64) ([]int, bool) {
	if x == nil || len(x.keys) != len(keys) {
		return nil, false
	}
	var changed []int
	for i, k := range keys {
		if k != x.keys[i] {
			if changed = append(changed, i); len(changed) > len(keys)/maxUpdated+1 {
				return nil, false
			}
		}
	}
	return changed, true
}

// update makes the files of entries from x, in which the entries at
// changed positions are new: their old postings are taken out and
// their new ones put in, and only the shards holding a term either
// entry has, and the chunks holding a changed document, are made anew.
// The result is what buildFiles(entries) gives. x becomes the index of
// entries.
func (x *index) update(entries []Entry, keys []uint64, changed []int) []File {
	for _, f := range x.files {
		f.Bytes() // every file of the last index made, before its postings change
	}
	n := len(entries)
	dirty := map[string]bool{}
	changedDocs := map[int]bool{}
	for _, i := range changed {
		id := n - 1 - i // documents are newest first
		changedDocs[id] = true
		x.entries[i].eachTerm(func(t []byte, _ uint8) {
			term := string(t)
			dirty[term] = true
			x.postings[term] = withoutDoc(x.postings[term], id)
			if len(x.postings[term]) == 0 {
				delete(x.postings, term)
			}
		})
		entries[i].eachTerm(func(t []byte, fields uint8) {
			term := string(t)
			dirty[term] = true
			x.postings[term] = withDoc(x.postings[term], uint32(id)<<fieldBits|uint32(fields))
		})
	}
	docs := make([]*Entry, n)
	for i := range entries {
		docs[n-1-i] = &entries[i]
	}
	last := make(map[string][]string, len(x.shards))
	for _, sh := range x.shards {
		last[sh.key] = sh.terms
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
	keep(Manifest, func() []byte { return manifest(n, shards) }, false)
	for _, sh := range shards {
		clean := slices.Equal(last[sh.key], sh.terms) && !slices.ContainsFunc(sh.terms, func(t string) bool { return dirty[t] })
		keep(shardPath(sh.key), func() []byte { return encodeShard(sh.terms, postings) }, clean)
	}
	for start := 0; start < n; start += ChunkDocs {
		end := min(n, start+ChunkDocs)
		clean := true
		for id := start; id < end; id++ {
			clean = clean && !changedDocs[id]
		}
		chunk := docs[start:end]
		keep(chunkPath(start/ChunkDocs), func() []byte { return encodeChunk(chunk) }, clean)
	}
	x.keys, x.entries, x.shards, x.files = keys, entries, shards, files
	return x.sorted()
}

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

// withoutDoc returns list, sorted by document, without document id: a
// new slice, since an earlier index's files may share the old one.
func withoutDoc(list []uint32, id int) []uint32 {
	i, found := slices.BinarySearchFunc(list, id, func(p uint32, id int) int { return int(p>>fieldBits) - id })
	if !found {
		return list
	}
	return slices.Concat(list[:i], list[i+1:])
}

// withDoc returns list with posting p put in its place by document, as
// a new slice.
func withDoc(list []uint32, p uint32) []uint32 {
	i, _ := slices.BinarySearchFunc(list, p>>fieldBits, func(q, id uint32) int { return int(q>>fieldBits) - int(id) })
	return slices.Concat(list[:i], []uint32{p}, list[i:])
}
