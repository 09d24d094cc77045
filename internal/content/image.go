package content

import (
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/media"
)

// Image is a picture an article shows: its lead image (front matter
// image:) or one its markdown shows (![alt](src "caption")).
type Image struct {
	// Src is the file's slash path relative to the site:
	// "content/2013-sale/signing.jpg" (beside the article, in its
	// folder) or "static/img/map.png".
	Src        string
	Alt        string // required unless Decorative
	Caption    string // the markdown title, or the front matter caption
	Credit     string // front matter only
	Decorative bool   // alt: "" with decorative: true
	Info       media.Info
	Line, Col  int // where the reference is written
}

// MaxImageBytes bounds one image file: inspecting it reads it whole, and
// processing decodes it. It is media's own limit, checked before the read.
const MaxImageBytes = media.MaxBytes

// StaticDir is the folder whose files a root path in an image reference
// ("/img/map.png") names.
const StaticDir = "static"

// MediaDir is the folder under the site root where every variant of an
// image is published, named by media.Name.
const MediaDir = "media"

// DecorativeTitle is the title that marks an image of the body, written
// with empty alt text, as decorative: ![](rule.png "decorative").
const DecorativeTitle = "decorative"

// BodySizes is the sizes attribute of the pictures in a body: the
// default theme's text column, 46rem at most, or the whole viewport on
// narrow screens.
const BodySizes = "(min-width: 48rem) 46rem, 100vw"

// imageFile is where an image reference written in the file from points:
// a path relative to from's folder, or a root path under static/. It
// returns "" with the problem reported when there is no file of the
// site to read: a remote image, another scheme, a path outside content/
// and static/.
func imageFile(from, raw string, report func(diag.Code, string, ...any)) string {
	if scheme, ok := schemeOf(raw); ok || strings.HasPrefix(raw, "//") {
		if scheme == "http" || scheme == "https" || !ok {
			report(diag.RemoteImage, "image %q is on another host; copy the file into the article's folder or static/ and refer to it there (a remote image shifts the page while it loads and tells its host who reads it)", truncate(raw))
		} else {
			report(diag.BadScheme, "link %q uses the %q scheme; only http, https, mailto and tel links are allowed, and an image must be a file of the site", truncate(raw), scheme+":")
		}
		return ""
	}
	p, _, _ := strings.Cut(raw, "#")
	p, _, _ = strings.Cut(p, "?")
	unescaped, err := url.PathUnescape(p)
	if err != nil || unescaped == "" {
		report(diag.MissingImage, "image %q is not a valid path", truncate(raw))
		return ""
	}
	var target string
	if strings.HasPrefix(unescaped, "/") {
		target = path.Join(StaticDir, unescaped)
	} else {
		target = path.Join(path.Dir(from), unescaped)
	}
	if !strings.HasPrefix(target, Dir+"/") && !strings.HasPrefix(target, StaticDir+"/") {
		report(diag.ImageOutside, "image %q is outside content/ and static/; refer to a file beside the article, or to /path for static/path", truncate(raw))
		return ""
	}
	return target
}

// inspectImage reads the image file p through fsys (nil: the file
// cannot be read) and returns its Info, or false with the problem
// reported.
func inspectImage(fsys fs.FS, p string, report func(diag.Code, string, ...any)) (media.Info, bool) {
	shown := shownPath(p)
	if fsys == nil {
		report(diag.MissingImage, "image %s: the site's intro cannot show images", shown)
		return media.Info{}, false
	}
	info, err := fs.Stat(fsys, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		report(diag.MissingImage, "image %s: no such file", shown)
		return media.Info{}, false
	case err != nil:
		report(diag.MissingImage, "image %s cannot be read: %v", shown, unwrapPathError(err))
		return media.Info{}, false
	case !info.Mode().IsRegular():
		report(diag.NotImage, "image %s is not a file", shown)
		return media.Info{}, false
	case info.Size() > MaxImageBytes:
		report(diag.ImageTooLarge, "image %s is %.1f MiB; image files are limited to %d MiB", shown, float64(info.Size())/(1<<20), MaxImageBytes>>20)
		return media.Info{}, false
	}
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		report(diag.MissingImage, "image %s cannot be read: %v", shown, unwrapPathError(err))
		return media.Info{}, false
	}
	mi, err := media.Inspect(src)
	if errors.Is(err, media.ErrTooLarge) {
		report(diag.ImageTooLarge, "image %s: %v", shown, err)
		return media.Info{}, false
	}
	if err != nil {
		report(diag.NotImage, "image %s is not an image dealsite reads: %v", shown, err)
		return media.Info{}, false
	}
	return mi, true
}

// ImageStem is the readable part of the names of an image's variants:
// its file name, made URL-safe ("Signing 2.JPG" gives "signing-2").
func ImageStem(src string) string {
	base := path.Base(src)
	if stem := Slugify(strings.TrimSuffix(base, path.Ext(base))); stem != "" {
		return stem
	}
	return "image"
}

// VariantPath is the slash path, relative to the site root, where a
// variant of the image src is published: media/<media.Name>.
func VariantPath(src string, info media.Info, v media.Variant, s media.Settings) string {
	return MediaDir + "/" + media.Name(ImageStem(src), info, v, s)
}

// pictureHTML is the markup of a body image: a <picture> with a WebP
// source and the fallback format's srcset, or for an SVG a plain <img>,
// always with width and height so nothing shifts while it loads, and
// the title, if any, as its title attribute. Its URLs are placeholders
// for refs it appends (see Ref.Files).
func pictureHTML(img Image, title string, s media.Settings, at pos, refs *[]Ref) string {
	ref := func(files ...string) string {
		*refs = append(*refs, Ref{Files: files, Line: at.line, Col: at.col})
		return RefHref(len(*refs) - 1)
	}
	if img.Info.Format == media.SVG {
		v := media.Variant{Width: img.Info.Width, Height: img.Info.Height, Format: media.SVG}
		return `<img src="` + ref(VariantPath(img.Src, img.Info, v, s)) + `"` + imgEnd(v, img.Alt, title)
	}
	var modern, fallback []string
	var largest media.Variant
	for _, v := range s.Variants(img.Info) {
		file := VariantPath(img.Src, img.Info, v, s) + " " + strconv.Itoa(v.Width) + "w"
		if v.Format == media.WebP {
			modern = append(modern, file)
			continue
		}
		fallback = append(fallback, file)
		if v.Width >= largest.Width {
			largest = v
		}
	}
	sizes := ` sizes="` + BodySizes + `"`
	return `<picture><source type="` + media.WebP.MIME() + `" srcset="` + ref(modern...) + `"` + sizes + `>` +
		`<img src="` + ref(VariantPath(img.Src, img.Info, largest, s)) + `" srcset="` + ref(fallback...) + `"` + sizes +
		imgEnd(largest, img.Alt, title) + `</picture>`
}

// imgEnd is how every picture's <img> ends: its size when known (so
// nothing shifts while it loads), its alt text and title, escaped, and
// lazy loading (body pictures are rarely above the fold).
func imgEnd(v media.Variant, alt, title string) string {
	var b strings.Builder
	if v.Width > 0 && v.Height > 0 {
		fmt.Fprintf(&b, ` width="%d" height="%d"`, v.Width, v.Height)
	}
	b.WriteString(` alt="` + html.EscapeString(alt) + `"`)
	if title != "" {
		b.WriteString(` title="` + html.EscapeString(title) + `"`)
	}
	b.WriteString(` loading="lazy" decoding="async">`)
	return b.String()
}

// figureHTML wraps a picture in a figure with its caption.
func figureHTML(picture, caption string) string {
	return "<figure>" + picture + "<figcaption>" + html.EscapeString(caption) + "</figcaption></figure>\n"
}

// imageFields is the strict schema of the front matter image field.
var imageFields = []string{"src", "alt", "caption", "credit", "decorative"}

// leadImage reads the front matter image field, and the file it names
// through fsys, adding that file to uses. It is nil when there is none
// or it has a problem (reported at its place).
func (fm *frontMatter) leadImage(fsys fs.FS, uses *[]string) *Image {
	f := fm.get("image")
	v := fm.value("image")
	if v == nil {
		return nil
	}
	if v.kind != mapValue {
		fm.errorf(diag.BadImageField, "image", "image must be a map like {src: signing.jpg, alt: \"what it shows\"}, not %s", describe(v))
		return nil
	}
	before := len(*fm.diags)
	sub := fm.sub(v, "")
	sub.checkKeys("image", imageFields)
	img := &Image{Src: sub.text("src"), Alt: sub.text("alt"), Caption: sub.text("caption"), Credit: sub.text("credit"),
		Decorative: sub.boolean("decorative"), Line: f.line, Col: f.col}
	switch {
	case img.Decorative && img.Alt != "":
		sub.errorf(diag.BadImageField, "decorative", "a decorative image has empty alt text (alt: \"\"); leave decorative out to describe it")
	case img.Alt == "" && !img.Decorative:
		sub.errorf(diag.MissingAlt, "alt", "image has no alt text: describe what it shows with alt: \"…\", or mark it decorative with alt: \"\" and decorative: true")
	}
	raw := img.Src
	if raw == "" {
		sub.errorf(diag.BadImageField, "src", "image needs src, the image file, relative to the article or /path for static/path")
		return nil
	}
	report := func(code diag.Code, format string, args ...any) { sub.errorf(code, "src", format, args...) }
	if img.Src = imageFile(fm.path, raw, report); img.Src == "" {
		return nil
	}
	*uses = append(*uses, img.Src)
	info, ok := inspectImage(fsys, img.Src, report)
	if !ok || len(*fm.diags) != before {
		return nil
	}
	img.Info = info
	return img
}

// shownPath is a path as a message shows it: as it is, or quoted when it
// holds a control character (a %0A in a link) or is not UTF-8, so that
// every message stays one readable line.
func shownPath(p string) string {
	for _, r := range p {
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return strconv.Quote(p)
		}
	}
	return p
}
