//go:build unix

package search

import (
	"compress/gzip"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStats prints the index's files and sizes at 10,000 articles, and
// the CPU time of building it: SEARCH_STATS=1 go test -run TestStats -v
// ./internal/search.
func TestStats(t *testing.T) {
	if os.Getenv("SEARCH_STATS") == "" {
		t.Skip()
	}
	s := corpusSite(t, 10000)
	runtime.GC()
	before := cpuTime()
	files, err := Build(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		f.Bytes()
	}
	t.Logf("Build and encoding every file: %v of CPU (user and system)", cpuTime()-before)
	// A rebuild after an edit of one article's text, through a cache:
	// the entries are all kept but one, whose postings are updated in
	// the last index (forced here by changing its key there), and every
	// file taken, as render's cache does.
	cache := NewCache()
	if _, err := Build(s, cache); err != nil {
		t.Fatal(err)
	}
	cache.index.docs.keys[0]++
	runtime.GC()
	before = cpuTime()
	warm, err := Build(s, cache)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range warm {
		f.Bytes()
	}
	t.Logf("the same through a cache holding every entry: %v of CPU", cpuTime()-before)
	var raw, gz, shards, chunks, maxShard int
	for _, f := range files {
		raw += len(f.Bytes())
		n := gzLen(f.Bytes())
		gz += n
		if strings.HasPrefix(f.Path, Dir+"t/") {
			shards++
			if n > maxShard {
				maxShard = n
			}
			if n > 20000 {
				t.Logf("big shard %s raw %d gz %d", f.Path, len(f.Bytes()), n)
			}
		} else if strings.HasPrefix(f.Path, Dir+"d/") {
			chunks++
		} else {
			t.Logf("%s raw %d gz %d", f.Path, len(f.Bytes()), n)
		}
	}
	t.Logf("files %d shards %d chunks %d raw %d gz %d max shard gz %d", len(files), shards, chunks, raw, gz, maxShard)
}

func gzLen(b []byte) int {
	var c countWriter
	w, _ := gzip.NewWriterLevel(&c, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return int(c)
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// cpuTime is the process's user and system CPU time so far: a cost that
// other processes on a busy machine do not inflate as they do wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
