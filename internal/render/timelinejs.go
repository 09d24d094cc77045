package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/site"
)

// The timeline.json export follows the TimelineJS JSON format
// (title, events, eras with start_date/end_date and text objects) so the
// data can be loaded into TimelineJS as is. TimelineJS treats headline
// and text as HTML, so both are HTML-escaped here. Fields TimelineJS does
// not know (url, tags, parties, value, sources) carry the rest of the
// front matter for other tools.
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
}

type tlSource struct {
	Title     string `json:"title"`
	URL       string `json:"url,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
}

type tlEra struct {
	StartDate tlDate `json:"start_date"`
	EndDate   tlDate `json:"end_date"`
	Text      tlText `json:"text"`
}

// TimelineJSON exports every published event.
func TimelineJSON(s *site.Site) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(1500 * len(s.Articles))
	err := WriteTimelineJSON(&out, s)
	return out.Bytes(), err
}

// WriteTimelineJSON writes TimelineJSON's bytes to w.
func WriteTimelineJSON(w io.Writer, s *site.Site) error {
	tl := timelineJS{
		Title:  tlSlide{Text: tlText{Headline: html.EscapeString(s.Title), Text: html.EscapeString(s.Description)}},
		Events: []tlEvent{},
	}
	for _, e := range s.Eras {
		tl.Eras = append(tl.Eras, tlEra{StartDate: tlDateOf(e.Start), EndDate: tlDateOf(e.End), Text: tlText{Headline: html.EscapeString(e.Title)}})
	}
	// The events are most of the file (15 MB at 10,000 articles): they
	// are encoded one at a time into w instead of as one value, which
	// json would build twice over (compact, then indented). The bytes
	// are the same as encoding tl whole.
	head, err := encodeJSON(tl, "")
	if err != nil {
		return err
	}
	if len(s.Articles) == 0 {
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
	for i, a := range s.Articles {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		event, err := encodeJSON(timelineEvent(a), "    ")
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

func timelineEvent(a *site.Article) tlEvent {
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
		end := tlDateOf(a.EndDate)
		e.EndDate = &end
	}
	if a.Era != nil {
		e.Group = a.Era.Title
	}
	for _, src := range a.Sources {
		ts := tlSource{Title: src.Title, URL: src.URL, Publisher: src.Publisher}
		if !src.Date.IsZero() {
			ts.Date = src.Date.ISO()
		}
		e.Sources = append(e.Sources, ts)
	}
	return e
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
