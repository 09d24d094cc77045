package render

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/dealsite/dealsite/internal/site"
)

// The data exports. timeline.json must stay loadable by TimelineJS,
// which draws every event it is given: when the timeline page lists only
// the newest events, so does timeline.json, and the rest go to one
// TimelineJS file per page of each year (timeline/2013.json,
// timeline/2013-2.json…), listed by timeline/index.json. events.ndjson
// holds every event, one JSON object a line, for tools that want all of
// them: it can be read (and is written) one event at a time.

// EventsNDJSON is the path of the full export.
const EventsNDJSON = "events.ndjson"

// TimelineIndex is the path of the list of TimelineJS files.
const TimelineIndex = "timeline/index.json"

// ndEvent is one line of events.ndjson: the front matter as written,
// plain text (not HTML), with the event's page.
type ndEvent struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Date    string     `json:"date"`
	EndDate string     `json:"end_date,omitempty"`
	When    string     `json:"when"`
	Summary string     `json:"summary,omitempty"`
	URL     string     `json:"url"`
	Tags    []string   `json:"tags,omitempty"`
	Parties []string   `json:"parties,omitempty"`
	Value   string     `json:"value,omitempty"`
	Era     string     `json:"era,omitempty"`
	Sources []tlSource `json:"sources,omitempty"`
}

// WriteEventsNDJSON writes every published event to w in time order, one
// compact JSON object a line. Text is plain (a JSON reader gets "<" back
// from the "\u003c" written).
func WriteEventsNDJSON(w io.Writer, s *site.Site) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw) // escapes <, > and &: never HTML to a browser sniffing it
	for _, a := range s.Articles {
		if err := enc.Encode(eventRecord(a)); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func eventRecord(a *site.Article) ndEvent {
	e := ndEvent{
		ID: a.Slug, Title: a.Title, Date: a.DateISO, When: a.WhenText, Summary: a.Summary, URL: a.Permalink,
		Tags: names(a.Tags), Parties: names(a.Parties), Value: a.Value, Sources: sources(a),
	}
	if !a.EndDate.IsZero() {
		e.EndDate = a.EndDate.ISO()
	}
	if a.Era != nil {
		e.Era = a.Era.Title
	}
	return e
}

// timelineFile is one TimelineJS file of the events of one page of a year.
type timelineFile struct {
	path  string
	title string
	year  *site.Year
	page  *site.Listing
}

// timelineFiles lists the per-year TimelineJS files: none when
// timeline.json holds every event.
func timelineFiles(s *site.Site) []timelineFile {
	if s.HomeShowsAll() {
		return nil
	}
	var files []timelineFile
	for _, y := range s.Years {
		year := strconv.Itoa(y.Year)
		for _, l := range y.Listings() {
			f := timelineFile{path: "timeline/" + year + ".json", title: s.Title + ": " + year, year: y, page: l}
			if l.Number > 1 {
				f.path = "timeline/" + year + "-" + strconv.Itoa(l.Number) + ".json"
			}
			if l.Paged() {
				f.title += " (page " + strconv.Itoa(l.Number) + " of " + strconv.Itoa(len(l.Pages())) + ")"
			}
			files = append(files, f)
		}
	}
	return files
}

func (f timelineFile) write(w io.Writer, s *site.Site, ps pictures) error {
	return writeTimeline(w, s, ps, f.title, f.page.Articles)
}

// tlIndex is timeline/index.json.
type tlIndex struct {
	Title  string      `json:"title"`
	Events int         `json:"events"` // every published event
	All    string      `json:"all"`    // events.ndjson
	Latest tlFileRef   `json:"latest"` // timeline.json
	Files  []tlFileRef `json:"files"`  // in time order
}

// tlFileRef describes one TimelineJS file.
type tlFileRef struct {
	URL    string `json:"url"`
	Year   int    `json:"year,omitempty"`
	Page   int    `json:"page,omitempty"`
	Events int    `json:"events"`
	First  string `json:"first,omitempty"` // the date of its first event
	Last   string `json:"last,omitempty"`  // and of its last
}

// timelineIndex is timeline/index.json for files.
func timelineIndex(s *site.Site, files []timelineFile) ([]byte, error) {
	latest := s.Articles[len(s.Articles)-s.LatestCount():]
	index := tlIndex{
		Title: s.Title, Events: len(s.Articles), All: s.BaseURL + EventsNDJSON,
		Latest: fileRef(s.TimelineJSON().Permalink, latest),
	}
	for _, f := range files {
		ref := fileRef(s.BaseURL+f.path, f.page.Articles)
		ref.Year, ref.Page = f.year.Year, f.page.Number
		index.Files = append(index.Files, ref)
	}
	return encodeJSON(index, "")
}

func fileRef(url string, articles []*site.Article) tlFileRef {
	ref := tlFileRef{URL: url, Events: len(articles)}
	if len(articles) > 0 {
		ref.First, ref.Last = articles[0].DateISO, articles[len(articles)-1].DateISO
	}
	return ref
}
