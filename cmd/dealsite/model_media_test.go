package main_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The picture operations of TestModel: an article's pictures are files
// beside it (or under static/img/), so an edit of a picture's bytes, its
// deletion or a new reference must reach exactly the pages that show it,
// as a clean build would make them.

func init() {
	modelOps = append(modelOps,
		op{"add picture", 4, (*model).addPicture},
		op{"repaint picture", 4, (*model).repaintPicture},
		op{"delete picture", 2, (*model).deletePicture},
		op{"lead image", 4, (*model).setLead},
	)
}

// picture is a small PNG of seeded colours and size: wide enough, now
// and then, to have responsive variants.
func (m *model) picture() string {
	w, h := 24+m.r.IntN(1000), 16+m.r.IntN(600)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c0 := color.RGBA{uint8(m.r.IntN(256)), uint8(m.r.IntN(256)), uint8(m.r.IntN(256)), 255}
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{c0.R + uint8(x*255/w), c0.G + uint8(y*255/h), c0.B, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		m.t.Fatal(err)
	}
	return b.String()
}

// pictureFile is where an article's picture reference leads.
func pictureFile(article, ref string) string {
	if rest, ok := strings.CutPrefix(ref, "/"); ok {
		return path.Join("static", rest)
	}
	return path.Join(path.Dir(article), ref)
}

// articleWithPictures picks an article that can take a picture edit.
func (m *model) pictureArticle() (string, *modelArticle) {
	p, a := m.anyArticle()
	if a == nil || a.target != "" || a.broken != "" {
		return "", nil
	}
	return p, a
}

func (m *model) addPicture() string {
	p, a := m.pictureArticle()
	if a == nil {
		return ""
	}
	name := "pic-" + strconv.Itoa(m.r.IntN(6)) + ".png"
	ref := name
	if m.r.IntN(4) == 0 {
		ref = "/img/" + name
	}
	file := pictureFile(p, ref)
	data := m.picture()
	if strings.HasPrefix(file, "static/") {
		m.static[file] = data
	}
	m.put(file, data)
	if !slices.Contains(a.pictures, ref) {
		a.pictures = append(a.pictures, ref)
		m.writeArticle(p)
	}
	return fmt.Sprintf("%s shows %s", p, ref)
}

// referenced lists the picture files articles show, in order.
func (m *model) referenced() []string {
	var files []string
	for _, p := range m.paths() {
		a := m.articles[p]
		for _, ref := range append(slices.Clip(a.pictures), a.lead) {
			if f := pictureFile(p, ref); ref != "" && !slices.Contains(files, f) {
				files = append(files, f)
			}
		}
	}
	return files
}

func (m *model) repaintPicture() string {
	files := m.referenced()
	if len(files) == 0 {
		return ""
	}
	file := m.pick(files)
	data := m.picture()
	if strings.HasPrefix(file, "static/") {
		m.static[file] = data
	}
	m.put(file, data)
	return file
}

// deletePicture removes a picture some article shows: an error until
// the article drops it (mend) or a picture of that name comes back.
func (m *model) deletePicture() string {
	files := m.referenced()
	if len(files) == 0 {
		return ""
	}
	file := m.pick(files)
	if _, err := os.Lstat(m.full(file)); err != nil {
		return ""
	}
	m.remove(file)
	delete(m.static, file)
	return file
}

// setLead gives an article a lead image (one of its pictures, or a new
// file beside it), or takes it away.
func (m *model) setLead() string {
	p, a := m.pictureArticle()
	if a == nil {
		return ""
	}
	switch {
	case a.lead != "" && m.r.IntN(3) == 0:
		a.lead = ""
	case len(a.pictures) > 0 && m.r.IntN(2) == 0:
		a.lead = m.pick(a.pictures)
	default:
		a.lead = "lead-" + strconv.Itoa(m.r.IntN(3)) + ".png"
		m.put(pictureFile(p, a.lead), m.picture())
	}
	m.writeArticle(p)
	return fmt.Sprintf("%s lead %q", p, a.lead)
}

// missingPicture reports whether an article shows a picture file that
// is not there or not a PNG.
func (m *model) missingPicture(p string, a *modelArticle) bool {
	for _, ref := range append(slices.Clip(a.pictures), a.lead) {
		if ref == "" {
			continue
		}
		data, err := os.ReadFile(m.full(pictureFile(p, ref)))
		if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
			return true
		}
	}
	return false
}

// pictureSource is what an article's pictures add to its file: the
// lead image in front matter and the pictures at the end of the body.
func (a *modelArticle) leadSource() string {
	if a.lead == "" {
		return ""
	}
	return "image:\n  src: " + strconv.Quote(a.lead) + "\n  alt: \"The lead picture\"\n  caption: \"A caption\"\n"
}

func (a *modelArticle) picturesSource() string {
	var b strings.Builder
	for i, ref := range a.pictures {
		fmt.Fprintf(&b, "\n![Picture %d of the event](%s \"Caption %d\")\n", i+1, ref, i+1)
	}
	return b.String()
}
