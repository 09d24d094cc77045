package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// The timeline.json export follows the TimelineJS JSON format
// (title, events, eras with start_date/end_date and text objects) so the
// data can be loaded into TimelineJS as is. TimelineJS treats headline,
// text and group as HTML, so all three are HTML-escaped here. Fields
// TimelineJS does not know (url, tags, parties, value, sources) carry the
// rest of the front matter for other tools.
//
// An end date in dealsite is inclusive: "end: 2017" is the whole of 2017.
// TimelineJS reads {year: 2017} as 1 January 2017, so ends are exported
// as the last day of their period ({year: 2017, month: 12, day: 31}),
// with display_date saying it as written ("2017").
type timelineJS struct {
	Title  tlSlide   `json:"title"`
	Events []tlEvent `json:"events"`
	Eras   []tlEra   `json:"eras,omitempty"`
}

type tlSlide struct {
	Text tlText `json:"text"`
}

type tlText struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

type tlDate struct {
	Year  int    `json:"year"`
	Month int    `json:"month,omitempty"`
	Day   int    `json:"day,omitempty"`
	Text  string `json:"display_date,omitempty"`
}

type tlEvent struct {
	ID        string     `json:"unique_id"`
	StartDate tlDate     `json:"start_date"`
	EndDate   *tlDate    `json:"end_date,omitempty"`
	Text      tlText     `json:"text"`
	Group     string     `json:"group,omitempty"`
	URL       string     `json:"url"`
	Tags      []string   `json:"tags,omitempty"`
	Parties   []string   `json:"parties,omitempty"`
	Value     string     `json:"value,omitempty"`
	Sources   []tlSource `json:"sources,omitempty"`
	Media     *tlMedia   `json:"media,omitempty"`
}

// tlMedia is a slide's picture: the event's lead image, by absolute URL.
type tlMedia struct {
	URL       string `json:"url"`
	Caption   string `json:"caption,omitempty"`
	Credit    string `json:"credit,omitempty"`
	Thumbnail string `json:"thumbnail,omitempty"`
	Alt       string `json:"alt,omitempty"`
}

type tlSource struct {
	Title     string `json:"title"`
	URL       string `json:"url,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
}

type tlEra struct {
	StartDate tlMoment `json:"start_date"`
	EndDate   tlMoment `json:"end_date"`
	Text      tlText   `json:"text"`
}

// tlMoment is a TimelineJS date to the second with every field written,
// for era bounds: TimelineJS compares an era's end with its start field
// by field, deletes an end equal to the start, and then refuses the era
// and the whole timeline ("All eras must have start and end dates"). The
// first moment of the start and the last of the end always differ, even
// for an era of one day: an era that would span no time on the clocks
// written is refused when the settings are read (content.SpansNoTime).
type tlMoment struct {
	Year   int    `json:"year"`
	Month  int    `json:"month"`
	Day    int    `json:"day"`
	Hour   int    `json:"hour"`
	Minute int    `json:"minute"`
	Second int    `json:"second"`
	Text   string `json:"display_date,omitempty"`
}

// TimelineJSON is timeline.json: every published event, or the newest
// (those the timeline page lists) when there are too many for one page;
// see TimelineFiles for the rest. Lead images are named with the
// default media settings.
func TimelineJSON(s *site.Site) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(1500 * s.LatestCount())
	err := WriteTimelineJSON(&out, s)
	return out.Bytes(), err
}

// WriteTimelineJSON writes TimelineJSON's bytes to w.
func WriteTimelineJSON(w io.Writer, s *site.Site) error {
	return writeTimeline(w, s, defaultPictures(s), s.Title, s.Articles[len(s.Articles)-s.LatestCount():])
}

// writeLatestTimeline writes timeline.json, its pictures named by ps.
func writeLatestTimeline(w io.Writer, s *site.Site, ps pictures) error {
	return writeTimeline(w, s, ps, s.Title, s.Articles[len(s.Articles)-s.LatestCount():])
}

// writeTimeline writes a TimelineJS file of articles (in time order)
// with the site's eras, titled title.
func writeTimeline(w io.Writer, s *site.Site, ps pictures, title string, articles []*site.Article) error {
	tl := timelineJS{
		Title:  tlSlide{Text: tlText{Headline: html.EscapeString(title), Text: html.EscapeString(s.Description)}},
		Events: []tlEvent{},
	}
	for _, e := range s.Eras {
		tl.Eras = append(tl.Eras, timelineEra(e))
	}
	// The events are most of the file (15 MB at 10,000 articles): they
	// are encoded one at a time into w instead of as one value, which
	// json would build twice over (compact, then indented). The bytes
	// are the same as encoding tl whole.
	head, err := encodeJSON(tl, "")
	if err != nil {
		return err
	}
	if len(articles) == 0 {
		_, err = w.Write(head)
		return err
	}
	const empty = "\n  \"events\": []"
	at := bytes.Index(head, []byte(empty))
	if at < 0 {
		return fmt.Errorf("timeline.json: no events array in %.40q", head)
	}
	bw := bufio.NewWriter(w)
	bw.Write(head[:at+len(empty)-1])
	for i, a := range articles {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		event, err := encodeJSON(timelineEvent(a, ps), "    ")
		if err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(event, []byte("\n")))
	}
	bw.WriteString("\n  ]")
	bw.Write(head[at+len(empty):])
	return bw.Flush()
}

// encodeJSON encodes v indented by two spaces under prefix (lines after
// the first), without escaping <, > and &: timeline.json is a file of its
// own, served as JSON.
func encodeJSON(v any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

func timelineEvent(a *site.Article, ps pictures) tlEvent {
	e := tlEvent{
		ID:        a.Slug,
		StartDate: tlDateOf(a.Date),
		Text: tlText{
			Headline: html.EscapeString(a.Title),
			Text:     "<p>" + html.EscapeString(a.Summary) + `</p><p><a href="` + html.EscapeString(a.Permalink) + `">Read more</a></p>`,
		},
		URL:     a.Permalink,
		Value:   a.Value,
		Tags:    names(a.Tags),
		Parties: names(a.Parties),
	}
	if !a.EndDate.IsZero() {
		end := tlLastDayOf(a.EndDate)
		e.EndDate = &end
	}
	if a.Era != nil {
		e.Group = html.EscapeString(a.Era.Title)
	}
	e.Sources = sources(a)
	e.Media = timelineMedia(a.Lead, ps)
	return e
}

// timelineMedia is a slide's media: the widest variant of the picture
// in its fallback format (or the SVG), the narrowest as thumbnail.
// TimelineJS shows caption and credit as HTML: they are escaped.
func timelineMedia(img *content.Image, ps pictures) *tlMedia {
	if img == nil {
		return nil
	}
	v := ps.view(img)
	return &tlMedia{URL: ps.baseURL + strings.TrimPrefix(v.Src, ps.basePath),
		Thumbnail: ps.baseURL + strings.TrimPrefix(v.Thumb, ps.basePath),
		Caption:   html.EscapeString(img.Caption), Credit: html.EscapeString(img.Credit), Alt: img.Alt}
}

// sources are an article's sources as the exports write them.
func sources(a *site.Article) []tlSource {
	var out []tlSource
	for _, src := range a.Sources {
		ts := tlSource{Title: src.Title, URL: src.URL, Publisher: src.Publisher}
		if !src.Date.IsZero() {
			ts.Date = src.Date.ISO()
		}
		out = append(out, ts)
	}
	return out
}

func tlDateOf(d content.Date) tlDate {
	td := tlDate{Year: d.Year(), Text: d.String()}
	if d.Precision >= content.Month {
		td.Month = int(d.Month())
	}
	if d.Precision >= content.Day {
		td.Day = d.Day()
	}
	return td
}

func names(terms []*site.Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Name
	}
	return out
}

func timelineEra(e *site.Era) tlEra {
	return tlEra{
		StartDate: tlMomentOf(e.Start.FirstMoment(), e.Start.String()),
		EndDate:   tlMomentOf(e.End.LastMoment(), e.End.String()),
		Text:      tlText{Headline: html.EscapeString(e.Title)},
	}
}

func tlMomentOf(t time.Time, text string) tlMoment {
	return tlMoment{
		Year: t.Year(), Month: int(t.Month()), Day: t.Day(),
		Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(),
		Text: text,
	}
}

// tlLastDayOf is an inclusive end date: the last day of d's period,
// shown as written.
func tlLastDayOf(d content.Date) tlDate {
	last := d.LastMoment()
	return tlDate{Year: last.Year(), Month: int(last.Month()), Day: last.Day(), Text: d.String()}
}
