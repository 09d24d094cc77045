package content

import (
	"crypto/sha256"
	"io/fs"
	"maps"
	"slices"
)

// use is the state of one file an article read or looked for (an image,
// a linked file of its folder) when the article was parsed: the parse
// holds while every use is as it was.
type use struct {
	path   string
	exists bool
	stamp  stamp
	sum    [sha256.Size]byte
}

// useOf records the state of the file p now.
func (l *Loader) useOf(fsys fs.FS, p string) use {
	u := use{path: p, stamp: stampOf(fsys, p).settled(l.now())}
	src, err := fs.ReadFile(fsys, p)
	if err == nil {
		u.exists, u.sum = true, sha256.Sum256(src)
	}
	return u
}

// usesOf records the files of paths (deduplicated).
func (l *Loader) usesOf(fsys fs.FS, paths []string) []use {
	if len(paths) == 0 {
		return nil
	}
	paths = slices.Compact(slices.Sorted(slices.Values(paths)))
	out := make([]use, len(paths))
	for i, p := range paths {
		out[i] = l.useOf(fsys, p)
	}
	return out
}

// unchanged reports whether every file of uses is as it was: a valid
// equal stamp says so without a read, else the bytes are compared.
func (l *Loader) unchanged(fsys fs.FS, uses []use) bool {
	for _, u := range uses {
		if st := stampOf(fsys, u.path); u.stamp.valid && st.valid && st == u.stamp {
			continue
		}
		now := l.useOf(fsys, u.path)
		if now.exists != u.exists || now.sum != u.sum {
			return false
		}
	}
	return true
}

// index adds or (add false) removes the article at p as a user of the
// files its cached parse used, in the reverse index l.users.
func (l *Loader) index(p string, uses []use, add bool) {
	for _, u := range uses {
		users := l.users[u.path]
		switch {
		case add && users == nil:
			users = map[string]bool{}
			l.users[u.path] = users
			fallthrough
		case add:
			users[p] = true
		default:
			delete(users, p)
			if len(users) == 0 {
				delete(l.users, u.path)
			}
		}
	}
}

// store puts the result of reading the article at p in the cache.
func (l *Loader) store(p string, r cached) {
	l.forget(p)
	l.cache[p] = r
	l.index(p, r.uses, true)
}

// forget drops the article at p from the cache.
func (l *Loader) forget(p string) {
	if old, ok := l.cache[p]; ok {
		l.index(p, old.uses, false)
		delete(l.cache, p)
	}
}

// dependents are the articles, in walk order, whose cached parse used a
// file at or under one of the paths Changed named (an image replaced, a
// linked file deleted or added): their own files did not change, but
// their parse may have.
func (l *Loader) dependents() []string {
	if len(l.users) == 0 {
		return nil
	}
	found := map[string]bool{}
	for f, users := range l.users {
		if underAny(f, l.pending) {
			maps.Copy(found, users)
		}
	}
	return slices.SortedFunc(maps.Keys(found), walkOrder)
}
