package latency

import (
	"io"
	"os"
	"strings"
)

// tailSize is how much of the end of a file a view reads. Listings are in
// time order, so the newest article is near the end of every one; reading
// no more keeps polling a 100 MB export cheap.
const tailSize = 1 << 20

// A view polls one output file cheaply: it reads the file (its last
// tailSize bytes) again only when its identity, size or modification
// time changed since the last read, so a poll of an unchanged file costs
// one stat.
type view struct {
	path string
	tail int64       // bytes read from the end; 0 reads the whole file
	info os.FileInfo // of the last read; nil when missing or not read
	text string
}

func newView(path string) *view { return &view{path: path, tail: tailSize} }

// newWholeView is a view that reads the whole file, for a file in which
// the newest article need not be near the end (a sitemap lists the
// listings after the articles).
func newWholeView(path string) *view { return &view{path: path} }

func (v *view) refresh() {
	info, err := os.Stat(v.path)
	if err != nil {
		v.info, v.text = nil, ""
		return
	}
	if v.info != nil && os.SameFile(v.info, info) && info.Size() == v.info.Size() && info.ModTime().Equal(v.info.ModTime()) {
		return
	}
	text, err := readTail(v.path, v.tail)
	if err != nil {
		v.info, v.text = nil, "" // replaced or removed since the stat: read again next time
		return
	}
	v.info, v.text = info, text
}

// has reports whether the file exists and its tail contains s.
func (v *view) has(s string) bool {
	v.refresh()
	return v.info != nil && strings.Contains(v.text, s)
}

// exists reports whether the file exists.
func (v *view) exists() bool {
	v.refresh()
	return v.info != nil
}

// readTail returns the last n bytes of a file (all of a smaller one, or
// of any if n is 0).
func readTail(path string, n int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	if off := info.Size() - n; n > 0 && off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return "", err
		}
	}
	data, err := io.ReadAll(f)
	return string(data), err
}
