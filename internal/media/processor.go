package media

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gen2brain/webp"
)

// pipeline names the code that turns an image into a variant's bytes:
// this package's own version, bumped whenever its code changes the
// bytes of a variant (the kernel, the encoders' options, the decoding),
// and the versions of the modules that make them. It is part of every
// variant's Name, so published names change when the bytes can.
// TestPipelineNamesTheModulesBuiltIn keeps the versions true to go.mod;
// they are written here rather than read from the binary's build
// information, which a test binary lacks.
const pipeline = "dealsite-media/1 golang.org/x/image@v0.48.0 github.com/gen2brain/webp@v0.5.5"

// webpEngine says which libwebp encodes WebP. github.com/gen2brain/webp
// prefers a system libwebp (libwebp.so, as a -dev package installs it)
// over the libwebp 1.4 it embeds as WebAssembly; a system library of
// another version writes other bytes, so a binary built without the
// nodynamic tag on such a machine is deterministic only on it. Its
// cache entries are kept apart.
func webpEngine() string {
	if webp.Dynamic() == nil {
		return "system libwebp"
	}
	return "embedded libwebp"
}

// Stats count how a Processor answered Encode.
type Stats struct {
	Encoded    int64 // variants decoded, scaled and encoded
	FromMemory int64 // answered from the memory cache (or another caller's encode of the same variant)
	FromDisk   int64 // read back from the cache folder
}

// Processor encodes variants, keeping what it encoded. It is safe for
// concurrent use: callers encode in parallel, and a variant asked for
// by several at once is encoded once.
type Processor struct {
	settings Settings
	dir      string // the cache folder; "" keeps variants in memory only

	mu       sync.Mutex
	mem      *lru
	inflight map[string]*encoding
	sources  sources

	encoded, fromMemory, fromDisk atomic.Int64
}

// encoding is one variant being encoded; waiters block on done.
type encoding struct {
	done chan struct{}
	out  []byte
	err  error
}

// memoryBudget bounds the bytes of variants a Processor keeps in
// memory; beyond it the least recently used go (they stay on disk).
const memoryBudget = 256 << 20

// DefaultCacheDir is the cache folder of a build that names none:
// dealsite/media under the user's cache directory ($XDG_CACHE_HOME or
// ~/.cache on Linux, ~/Library/Caches on macOS, %LocalAppData% on
// Windows), or "" when the system has none.
func DefaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "dealsite", "media")
}

// NewProcessor returns a Processor for the settings that keeps encoded
// variants in memory and in cacheDir, a folder outside any site's
// output that any number of builds, watches and servers share (see
// DefaultCacheDir). With cacheDir "", or one that cannot be created,
// variants are kept in memory only: a cache is never a reason to fail.
// The folder may be deleted at any time; entries are written whole
// (a temporary file renamed), checked when read, and a damaged one is
// encoded and written again.
func NewProcessor(cacheDir string, s Settings) *Processor {
	if cacheDir != "" && os.MkdirAll(cacheDir, 0o755) != nil {
		cacheDir = ""
	}
	return &Processor{
		settings: s,
		dir:      cacheDir,
		mem:      newLRU(memoryBudget),
		inflight: map[string]*encoding{},
	}
}

// Stats returns how many variants the Processor has encoded and how
// many it found in its caches.
func (p *Processor) Stats() Stats {
	return Stats{Encoded: p.encoded.Load(), FromMemory: p.fromMemory.Load(), FromDisk: p.fromDisk.Load()}
}

// Encode returns the bytes of one variant of the image src, whose Info
// is info (as Inspect returned it: the hash it holds is trusted as the
// cache key). v is one of the Processor's Settings.Variants(info); an
// SVG's only variant is itself (Format SVG at its own size), returned
// unchanged. The result is shared with other callers: do not modify it.
func (p *Processor) Encode(src []byte, info Info, v Variant) ([]byte, error) {
	if err := p.check(info, v); err != nil {
		return nil, err
	}
	if info.Format == SVG {
		return src, nil
	}
	key := p.key(info, v)
	p.mu.Lock()
	if out, ok := p.mem.get(key); ok {
		p.mu.Unlock()
		p.fromMemory.Add(1)
		return out, nil
	}
	if e, ok := p.inflight[key]; ok {
		p.mu.Unlock()
		<-e.done
		if e.err == nil {
			p.fromMemory.Add(1)
		}
		return e.out, e.err
	}
	e := &encoding{done: make(chan struct{})}
	p.inflight[key] = e
	p.mu.Unlock()

	e.out, e.err = p.load(key, src, info, v)

	p.mu.Lock()
	delete(p.inflight, key)
	if e.err == nil {
		p.mem.add(key, e.out)
	}
	p.mu.Unlock()
	close(e.done)
	return e.out, e.err
}

// check refuses a variant the image cannot have: upscaled, in a format
// other than WebP or the image's fallback, or anything but the SVG
// itself for an SVG.
func (p *Processor) check(info Info, v Variant) error {
	bad := func(why string) error {
		return fmt.Errorf("media: no %d×%d %s variant of a %d×%d %s image: %s",
			v.Width, v.Height, v.Format, info.Width, info.Height, info.Format, why)
	}
	switch {
	case info.Format == SVG && v != Variant{Width: info.Width, Height: info.Height, Format: SVG}:
		return bad("an SVG is published as it is")
	case info.Format == SVG:
		return nil
	case v.Format != WebP && v.Format != Fallback(info.Format):
		return bad("the formats are WebP and " + string(Fallback(info.Format)))
	case v.Width < 1 || v.Height < 1 || v.Width > info.Width || v.Height > info.Height:
		return bad("variants are never larger than the image")
	}
	return nil
}

// key names a variant's cache entry: everything its bytes depend on.
// Of the settings only the quality changes a variant's bytes, so other
// widths reuse the entries of the widths they share.
func (p *Processor) key(info Info, v Variant) string {
	h := sha256.New()
	fmt.Fprintln(h, pipeline, runtime.Version(), runtime.GOARCH, webpEngine())
	h.Write(info.Hash[:])
	fmt.Fprintln(h, p.settings.Quality, v.Width, v.Height, v.Format)
	return hex.EncodeToString(h.Sum(nil))
}

// load returns a variant from the cache folder, or encodes it and
// writes it there.
func (p *Processor) load(key string, src []byte, info Info, v Variant) ([]byte, error) {
	if out, ok := p.readEntry(key); ok {
		p.fromDisk.Add(1)
		return out, nil
	}
	s, err := p.sources.get(src, info)
	if err != nil {
		return nil, err
	}
	out, err := encodeAs(s.variant(v), v.Format, p.quality())
	p.sources.produced(info.Hash, len(p.settings.Variants(info)))
	if err != nil {
		return nil, err
	}
	p.encoded.Add(1)
	p.writeEntry(key, out)
	return out, nil
}

// quality is the settings' quality, brought into libwebp's and
// image/jpeg's range.
func (p *Processor) quality() int {
	q := p.settings.Quality
	if q < 1 || q > 100 {
		return DefaultSettings.Quality
	}
	return q
}

// An entry in the cache folder is entryMagic, the SHA-256 of the
// variant's bytes, then the bytes: a short or damaged file (a crash
// mid-write, a full disk) fails the check and is written again.
const entryMagic = "dsmedia1"

func (p *Processor) entryPath(key string) string {
	return filepath.Join(p.dir, key[:2], key)
}

func (p *Processor) readEntry(key string) ([]byte, bool) {
	if p.dir == "" {
		return nil, false
	}
	b, err := os.ReadFile(p.entryPath(key))
	head := len(entryMagic) + sha256.Size
	if err != nil || len(b) < head || string(b[:len(entryMagic)]) != entryMagic {
		return nil, false
	}
	out := b[head:]
	if sum := sha256.Sum256(out); string(sum[:]) != string(b[len(entryMagic):head]) {
		return nil, false
	}
	return out, true
}

// writeEntry writes an entry atomically: a temporary file in the same
// folder, renamed over the entry. A cache that cannot be written is no
// error; the next build encodes again.
func (p *Processor) writeEntry(key string, out []byte) {
	if p.dir == "" {
		return
	}
	path := p.entryPath(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(path), key+".tmp*")
	if err != nil {
		return
	}
	sum := sha256.Sum256(out)
	_, err = f.Write(append(append([]byte(entryMagic), sum[:]...), out...))
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// lru keeps the most recently used variants, up to a budget of bytes.
type lru struct {
	budget, used int
	tick         uint64
	entries      map[string]*lruEntry
}

type lruEntry struct {
	out  []byte
	used uint64 // the tick of its last use
}

func newLRU(budget int) *lru {
	return &lru{budget: budget, entries: map[string]*lruEntry{}}
}

func (c *lru) get(key string) ([]byte, bool) {
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.tick++
	e.used = c.tick
	return e.out, true
}

// add keeps out under key, dropping the least recently used entries
// until the budget holds. A variant larger than the whole budget is not
// kept.
func (c *lru) add(key string, out []byte) {
	if len(out) > c.budget || c.entries[key] != nil {
		return
	}
	for c.used+len(out) > c.budget {
		c.evictOldest()
	}
	c.tick++
	c.entries[key] = &lruEntry{out: out, used: c.tick}
	c.used += len(out)
}

// evictOldest drops the least recently used entry. It scans: entries
// number in the thousands at most, and evictions are rare.
func (c *lru) evictOldest() {
	var oldest string
	var at uint64
	for k, e := range c.entries {
		if oldest == "" || e.used < at {
			oldest, at = k, e.used
		}
	}
	c.used -= len(c.entries[oldest].out)
	delete(c.entries, oldest)
}
