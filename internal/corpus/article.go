package corpus

import (
	"fmt"
	"math/rand/v2"
	"path"
	"strconv"
	"strings"
)

// article writes one article file: front matter, then the body.
type article struct {
	r            *rand.Rand
	b            strings.Builder
	plans        []plan
	published    []int // indexes of the articles that may be linked to
	self         int
	p            *plan
	value        string
	words        int      // words of body written so far
	footnotes    []string // texts of the footnotes referenced so far
	maxFootnotes int
}

func writeArticle(plans []plan, published []int, i int, seed uint64) []byte {
	a := &article{r: rng(seed, i, 1), plans: plans, published: published, self: i, p: &plans[i]}
	a.b.Grow(6 << 10)
	a.value = a.drawValue()
	a.frontMatter()
	a.words = 0
	a.body(400 + a.r.IntN(431)) // overshoot keeps it under ~900 words
	return []byte(a.b.String())
}

// chance reports true with probability percent/100.
func (a *article) chance(percent int) bool { return a.r.IntN(100) < percent }

func (a *article) drawValue() string {
	if !a.chance(60) {
		return ""
	}
	form := valueForms[a.r.IntN(len(valueForms))]
	var num string
	if strings.Contains(form, "billion") || strings.Contains(form, "bn") {
		num = strconv.FormatFloat(float64(1+a.r.IntN(800))/10, 'f', -1, 64)
	} else {
		num = strconv.Itoa(5 + a.r.IntN(950))
	}
	return fmt.Sprintf(form, num)
}

func (a *article) frontMatter() {
	p := a.p
	a.line("---")
	a.line("title: " + strconv.Quote(p.title()))
	a.line("date: " + p.date)
	if len(p.date) >= 7 && a.chance(5) {
		a.line("end_date: " + p.t.AddDate(0, 1+a.r.IntN(36), 0).Format("2006-01"))
	}
	if a.chance(3) {
		a.line("weight: " + strconv.Itoa(1+a.r.IntN(3)))
	}
	a.line("tags: " + flowList(a.tags()))
	names := make([]string, len(p.parties))
	for i, q := range p.parties {
		names[i] = q.name
	}
	a.line("parties: " + flowList(names))
	if a.value != "" {
		a.line("value: " + strconv.Quote(a.value))
	}
	if a.chance(25) {
		a.line("summary: " + strconv.Quote(a.fill(sentences[a.r.IntN(len(sentences))])))
	}
	a.sources()
	if p.draft {
		a.line("draft: true")
	}
	a.line("---")
}

// tags are the kind's tag, the sector, and up to three more drawn
// Zipf-like from all tags; a few are spelt in lower case.
func (a *article) tags() []string {
	out := []string{kinds[a.p.kind].tag, a.p.sector}
	extra := a.r.IntN(4)
	z := rand.NewZipf(a.r, 1.1, 2, uint64(len(allTags)-1))
	for range extra * 2 { // draws that repeat a tag are dropped
		if len(out) == 2+extra {
			break
		}
		t := allTags[z.Uint64()]
		if !containsFold(out, t) {
			out = append(out, t)
		}
	}
	for i := range out {
		if a.chance(3) {
			out[i] = strings.ToLower(out[i])
		}
	}
	return out
}

// allTags interleaves topics and sectors, in Zipf rank order.
var allTags = func() []string {
	var out []string
	for i := range max(len(tagTopics), len(tagSectors)) {
		if i < len(tagTopics) {
			out = append(out, tagTopics[i])
		}
		if i < len(tagSectors) {
			out = append(out, tagSectors[i])
		}
	}
	return out
}()

func containsFold(list []string, s string) bool {
	for _, t := range list {
		if strings.EqualFold(t, s) {
			return true
		}
	}
	return false
}

var sourceTitles = []string{
	"{A} to buy {B} in {V} deal",
	"Inside the talks between {A} and {B}",
	"Why {A} wanted {B}",
	"{B} shareholders back the deal",
	"What the {A} agreement means for {S}",
	"{A}, {B} confirm talks",
}

func (a *article) sources() {
	a.line("sources:")
	for k := range 1 + a.r.IntN(3) {
		pub := publishers[a.r.IntN(len(publishers))]
		day := a.p.t.AddDate(0, 0, a.r.IntN(10))
		a.line("  - title: " + strconv.Quote(a.fill(sourceTitles[a.r.IntN(len(sourceTitles))])))
		a.line(fmt.Sprintf("    url: \"https://%s/%s/%s-%d-%d/\"", pub.host, day.Format("2006/01/02"), a.p.parties[0].key, a.self+1, k))
		a.line("    publisher: " + strconv.Quote(pub.name))
		if a.chance(80) {
			a.line("    date: " + day.Format("2006-01-02"))
		}
	}
}

// flowList writes a YAML flow sequence that is also a JSON array.
func flowList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// line writes s and a newline, counting its words.
func (a *article) line(s string) {
	a.write(s)
	a.b.WriteByte('\n')
}

// relLink is a link from this article's file to another published
// article's file, or now and then to the settings file (the timeline).
func (a *article) relLink() (target string, text string) {
	if a.chance(2) || len(a.published) < 2 {
		return "../_index.md", "the timeline"
	}
	k := a.r.IntN(len(a.published))
	if a.published[k] == a.self {
		k = (k + 1) % len(a.published)
	}
	j := a.published[k]
	o := &a.plans[j]
	rel := path.Base(o.path)
	if o.year != a.p.year {
		rel = "../" + strconv.Itoa(o.year) + "/" + rel
	}
	return rel, fmt.Sprintf("the %d %s deal", o.year, o.parties[0].name)
}
