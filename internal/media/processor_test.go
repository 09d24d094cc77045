package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/draw"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// encodeAll encodes every variant of src and returns them in order.
func encodeAll(t *testing.T, p *Processor, src []byte) [][]byte {
	t.Helper()
	info := mustInspect(t, src)
	var outs [][]byte
	for _, v := range p.settings.Variants(info) {
		out, err := p.Encode(src, info, v)
		if err != nil {
			t.Fatalf("%v: %v", v, err)
		}
		outs = append(outs, out)
	}
	return outs
}

var smallSettings = Settings{Widths: []int{60, 120}, Quality: 75}

func TestEncodeIsDeterministic(t *testing.T) {
	for _, src := range [][]byte{
		encodeJPEG(t, photo(160, 90, 11), 90),
		encodePNG(t, translucent(160, 90, 12)),
	} {
		a := encodeAll(t, NewProcessor("", smallSettings), src)
		b := encodeAll(t, NewProcessor(t.TempDir(), smallSettings), src)
		for i := range a {
			if !bytes.Equal(a[i], b[i]) {
				t.Errorf("variant %d: two Processors encoded different bytes", i)
			}
		}
	}
}

// TestWebPBytesAreTheEmbeddedEncoders pins the bytes libwebp 1.4, run
// as WebAssembly, writes: the same on every machine and CPU. A system
// libwebp (github.com/gen2brain/webp loads one when libwebp.so is
// installed and the binary was built without -tags nodynamic) is not
// held to them.
func TestWebPBytesAreTheEmbeddedEncoders(t *testing.T) {
	if webpEngine() != "embedded libwebp" {
		t.Skip("WebP is encoded by the system's libwebp; build with -tags nodynamic to test the embedded one")
	}
	for _, c := range []struct {
		name string
		img  *image.RGBA
		want string
	}{
		{"opaque", photo(64, 48, 13), "5cf5e141e634e1ee933469fca432f0ba9b9878e82fdea04b4e3b4a92abb8cf65"},
		{"translucent", premultiplied(translucent(64, 48, 14)), "5b102215724cb2bca653f2da8e1390663dc2ae2238e4ee2c68f735d603f39ea9"},
	} {
		out, err := encodeAs(c.img, WebP, 80)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(out)
		if got := hex.EncodeToString(sum[:]); got != c.want {
			t.Errorf("%s: WebP bytes hash to %s, want %s", c.name, got, c.want)
		}
	}
}

func premultiplied(img image.Image) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

func TestPipelineNamesTheModulesBuiltIn(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range strings.Fields(pipeline)[1:] {
		path, version, _ := strings.Cut(m, "@")
		if !strings.Contains(string(gomod), "\t"+path+" "+version+"\n") {
			t.Errorf("go.mod does not require %s %s: update pipeline (and bump its own version if the bytes change)", path, version)
		}
	}
}

func TestCacheFolderIsReused(t *testing.T) {
	dir := t.TempDir()
	src := encodeJPEG(t, photo(160, 90, 21), 90)
	first := NewProcessor(dir, smallSettings)
	want := encodeAll(t, first, src)
	n := int64(len(want))
	if s := first.Stats(); s != (Stats{Encoded: n}) {
		t.Errorf("first build: %+v, want %d encoded", s, n)
	}
	encodeAll(t, first, src)
	if s := first.Stats(); s != (Stats{Encoded: n, FromMemory: n}) {
		t.Errorf("the same Processor again: %+v, want all %d from memory", s, n)
	}

	second := NewProcessor(dir, smallSettings)
	got := encodeAll(t, second, src)
	if s := second.Stats(); s != (Stats{FromDisk: n}) {
		t.Errorf("a new Processor on the same folder: %+v, want all %d from disk", s, n)
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("variant %d read back differs", i)
		}
	}

	other := NewProcessor(dir, Settings{Widths: smallSettings.Widths, Quality: 60})
	encodeAll(t, other, src)
	if s := other.Stats(); s.Encoded != n {
		t.Errorf("another quality: %+v, want all %d encoded again", s, n)
	}
}

func TestDamagedCacheEntryIsEncodedAgain(t *testing.T) {
	src := encodePNG(t, translucent(80, 40, 31))
	info := mustInspect(t, src)
	v := Variant{Width: 40, Height: 20, Format: WebP}
	for name, damage := range map[string]func([]byte) []byte{
		"empty":     func([]byte) []byte { return nil },
		"short":     func(b []byte) []byte { return b[:len(b)-1] },
		"flipped":   func(b []byte) []byte { b[len(b)-1] ^= 1; return b },
		"no header": func(b []byte) []byte { return b[len(entryMagic)+sha256.Size:] },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := NewProcessor(dir, smallSettings)
			want, err := p.Encode(src, info, v)
			if err != nil {
				t.Fatal(err)
			}
			path := p.entryPath(p.key(info, v))
			entry, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, damage(entry), 0o644); err != nil {
				t.Fatal(err)
			}

			again := NewProcessor(dir, smallSettings)
			got, err := again.Encode(src, info, v)
			if err != nil || !bytes.Equal(got, want) || again.Stats() != (Stats{Encoded: 1}) {
				t.Fatalf("after damage: %d bytes, %v, %+v; want the variant encoded again", len(got), err, again.Stats())
			}
			third := NewProcessor(dir, smallSettings)
			if _, err := third.Encode(src, info, v); err != nil || third.Stats() != (Stats{FromDisk: 1}) {
				t.Errorf("the entry was not written again: %v, %+v", err, third.Stats())
			}
		})
	}
}

func TestEncodeIsOncePerVariant(t *testing.T) {
	src := encodeJPEG(t, photo(400, 300, 41), 90)
	info := mustInspect(t, src)
	p := NewProcessor(t.TempDir(), smallSettings)
	vs := p.settings.Variants(info)
	const callers = 8
	var wg sync.WaitGroup
	outs := make([][][]byte, callers)
	for c := range callers {
		wg.Go(func() {
			for _, v := range vs {
				out, err := p.Encode(src, info, v)
				if err != nil {
					t.Error(err)
				}
				outs[c] = append(outs[c], out)
			}
		})
	}
	wg.Wait()
	s := p.Stats()
	if s.Encoded != int64(len(vs)) || s.FromMemory != int64((callers-1)*len(vs)) {
		t.Errorf("%d callers × %d variants: %+v, want each variant encoded once", callers, len(vs), s)
	}
	for c := 1; c < callers; c++ {
		for i := range vs {
			if !bytes.Equal(outs[c][i], outs[0][i]) {
				t.Errorf("caller %d got other bytes for %v", c, vs[i])
			}
		}
	}
}

func TestVariantsOfAnImageDecodeItOnce(t *testing.T) {
	src := encodeJPEG(t, photo(1000, 600, 42), 90)
	p := NewProcessor("", DefaultSettings)
	outs := encodeAll(t, p, src)
	if n := p.sources.decoded.Load(); n != 1 || len(outs) != 6 { // 480, 800 and 1000 wide, twice
		t.Errorf("%d variants decoded the image %d times, want once", len(outs), n)
	}
	if n := len(p.sources.entries); n != 0 {
		t.Errorf("%d decoded images kept after all their variants were encoded, want none", n)
	}
}

func TestUnusableCacheFolderKeepsMemoryOnly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p := NewProcessor(filepath.Join(file, "media"), smallSettings) // a folder inside a file
	src := encodeJPEG(t, photo(100, 50, 51), 90)
	encodeAll(t, p, src)
	encodeAll(t, p, src)
	if s := p.Stats(); s.Encoded == 0 || s.FromMemory != s.Encoded {
		t.Errorf("%+v, want everything encoded once and then found in memory", s)
	}
}

func TestMemoryCacheKeepsTheRecentWithinItsBudget(t *testing.T) {
	c := newLRU(10)
	c.add("a", []byte("aaaa"))
	c.add("b", []byte("bbbb"))
	c.get("a")
	c.add("c", []byte("cccc")) // over budget: b, least recently used, goes
	c.add("huge", make([]byte, 11))
	for key, kept := range map[string]bool{"a": true, "b": false, "c": true, "huge": false} {
		if _, ok := c.get(key); ok != kept {
			t.Errorf("%s kept: %v, want %v", key, ok, kept)
		}
	}
	if c.used != 8 {
		t.Errorf("used %d bytes, want 8", c.used)
	}
}

func TestDefaultCacheDirIsOutsideTheSite(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/tmp/cache-home")
	t.Setenv("HOME", "/tmp/home")
	if got, want := DefaultCacheDir(), filepath.Join("/tmp/cache-home", "dealsite", "media"); got != want {
		t.Errorf("DefaultCacheDir() = %q, want %q", got, want)
	}
}
