package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"hash/maphash"
	"io"
	"strconv"
	"sync"

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

// eventLines keeps each article's line of events.ndjson between the
// plans of a Cache, with what it shows: a line is encoded again only
// when that changed (see key), so that an article added or deleted,
// which changes the file, costs one line of JSON, not thousands.
type eventLines struct {
	mu      sync.Mutex
	seed    maphash.Seed
	lines   map[string]*eventLine // by article path
	writes  uint64                // counts the writes, from 1
	written int                   // lines the last write wrote
	encoded int                   // lines the last write encoded, for tests
	size    int                   // bytes the last write wrote
}

// eventLine is one article's line, and what it shows.
type eventLine struct {
	key  uint64
	text []byte
	seen uint64 // the last write that wrote it
}

// write is WriteEventsNDJSON, taking the lines l has up to date; a nil
// l keeps nothing.
func (l *eventLines) write(w io.Writer, s *site.Site) error {
	if l == nil {
		return WriteEventsNDJSON(w, s)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.begin()
	defer l.prune()
	for _, a := range s.Articles {
		line, err := l.line(a)
		if err != nil {
			return err
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
		l.size += len(line)
	}
	return nil
}

// sizeOf is about the size of events.ndjson for n events: that of the
// last write, when l has one.
func (l *eventLines) sizeOf(n int) int {
	if l == nil {
		return 1000 * n
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.size == 0 {
		return 1000 * n
	}
	return l.size + 1000
}

func (l *eventLines) begin() {
	if l.lines == nil {
		l.seed, l.lines = maphash.MakeSeed(), map[string]*eventLine{}
	}
	l.writes++
	l.written, l.encoded, l.size = 0, 0, 0
}

// line returns a's line, one compact JSON object and a newline, encoded
// again only when what it shows changed.
func (l *eventLines) line(a *site.Article) ([]byte, error) {
	key := l.key(a)
	e := l.lines[a.Path]
	if e == nil || e.key != key {
		text, err := encodeLine(a)
		if err != nil {
			return nil, err
		}
		e = &eventLine{key: key, text: text}
		l.lines[a.Path] = e
		l.encoded++
	}
	e.seen = l.writes
	l.written++
	return e.text, nil
}

// encodeLine is a's line, as WriteEventsNDJSON writes it.
func encodeLine(a *site.Article) ([]byte, error) {
	var buf bytes.Buffer
	err := json.NewEncoder(&buf).Encode(eventRecord(a))
	return buf.Bytes(), err
}

// key hashes what a's line shows (see eventRecord): its metadata, by
// its revision, the names of its tags and parties, by theirs, and the
// title of its era. Its other links (Prev, Next, Related), which an
// article added or deleted changes for its neighbours, are not shown.
func (l *eventLines) key(a *site.Article) uint64 {
	var h maphash.Hash
	h.SetSeed(l.seed)
	maphash.WriteComparable(&h, a.Rev(site.ArticleMeta))
	for _, terms := range [][]*site.Term{a.Tags, a.Parties} {
		for _, t := range terms {
			maphash.WriteComparable(&h, t.Rev(site.TermMeta))
		}
		h.WriteByte(0)
	}
	if a.Era != nil {
		h.WriteByte(1)
		h.WriteString(a.Era.Title)
	}
	return h.Sum64()
}

// prune forgets the lines of articles the last write did not write
// (deleted, or replaced by a new model), once they outnumber the rest.
func (l *eventLines) prune() {
	if len(l.lines) <= 2*l.written+64 {
		return
	}
	for p, e := range l.lines {
		if e.seen != l.writes {
			delete(l.lines, p)
		}
	}
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
