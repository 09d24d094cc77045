package content

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/diag"
)

// readFrontMatter splits a file into its front matter, decoded, and the
// markdown body. The body is the whole file with the YAML lines blanked
// (the two "---" lines stay for goldmark-meta to take out of the tree),
// so the body's line numbers are the file's. It returns a nil
// frontMatter, with the problem in diags, when the front matter is
// missing, not closed or not readable in full.
func readFrontMatter(path string, src []byte, diags *diag.List) (*frontMatter, []byte) {
	src = normalize(src)
	yamlText, body, opened, closed := splitFrontMatter(src)
	switch {
	case !opened:
		diags.Addf(diag.NoFrontMatter, path, 1, "missing front matter: the file must start with a line \"---\", then YAML fields, then \"---\"")
		return nil, nil
	case !closed:
		diags.Addf(diag.UnclosedFront, path, 1, "front matter is not closed: add a line \"---\" after the last field")
		return nil, nil
	}
	top := decodeYAML(path, yamlText, 2, diags)
	if top == nil {
		return nil, nil
	}
	return &frontMatter{path: path, fields: top.fields, line: 1, diags: diags}, body
}

// splitFrontMatter finds the front matter: a first line "---" and the
// next line "---", with nothing else on either but trailing blanks. Any
// other line, "--" or "----" or "--- x", belongs to the YAML. It returns
// the YAML between the two lines and src with that YAML blanked to
// empty lines.
func splitFrontMatter(src []byte) (yamlText, body []byte, opened, closed bool) {
	first, _, found := bytes.Cut(src, []byte("\n"))
	if !isFence(first) {
		return nil, nil, false, false
	}
	start := len(first) + 1
	for off := start; found && off < len(src); {
		line, _, more := bytes.Cut(src[off:], []byte("\n"))
		if isFence(line) {
			return src[start:off], blankLines(src, start, off), true, true
		}
		off += len(line) + 1
		found = more
	}
	return nil, nil, true, false
}

// isFence reports a line "---", allowing trailing blanks an editor may
// leave unseen.
func isFence(line []byte) bool {
	return string(bytes.TrimRight(line, " \t")) == "---"
}

// blankLines returns a copy of src with src[from:to] replaced by its
// newlines alone.
func blankLines(src []byte, from, to int) []byte {
	n := bytes.Count(src[from:to], []byte("\n"))
	out := make([]byte, 0, len(src)-(to-from)+n)
	out = append(out, src[:from]...)
	out = append(out, bytes.Repeat([]byte("\n"), n)...)
	return append(out, src[to:]...)
}

// frontMatter is the decoded front matter of one file, or one map inside
// it (a source, an era), read field by field against a schema. Every
// problem is reported at the line and column of the key or value at
// fault.
type frontMatter struct {
	path      string
	fields    []*field // as written, in order
	line, col int      // where the map starts: missing fields are reported there
	prefix    string   // "source 2: " for a map inside the front matter
	diags     *diag.List
}

// sub is the reader of a map inside the front matter, whose messages
// start with prefix.
func (fm *frontMatter) sub(v *value, prefix string) *frontMatter {
	return &frontMatter{path: fm.path, fields: v.fields, line: v.line, col: v.col, prefix: fm.prefix + prefix, diags: fm.diags}
}

func (fm *frontMatter) errorAt(code diag.Code, line, col int, format string, args ...any) {
	d := diag.New(code, fm.path, line, "%s", fm.prefix+fmt.Sprintf(format, args...))
	d.Col = col
	fm.diags.Add(d)
}

// errorf reports a problem with the field key as a whole, at its name.
func (fm *frontMatter) errorf(code diag.Code, key, format string, args ...any) {
	if f := fm.get(key); f != nil {
		fm.errorAt(code, f.line, f.col, format, args...)
		return
	}
	fm.errorAt(code, fm.line, fm.col, format, args...)
}

// get returns the field key, or nil. Of a key given twice (an error
// checkKeys reports) it returns the first.
func (fm *frontMatter) get(key string) *field {
	for _, f := range fm.fields {
		if f.key == key {
			return f
		}
	}
	return nil
}

// checkKeys reports every key given twice, which YAML would resolve
// silently by keeping one of the values, and every key not in known,
// with a "did you mean" hint when a known key is close, so typos like
// "tittle" are never ignored.
func (fm *frontMatter) checkKeys(kind string, known []string) {
	for i, f := range fm.fields {
		if first := fm.get(f.key); first != fm.fields[i] {
			fm.errorAt(diag.DuplicateField, f.line, f.col, "field %q is given twice (also on line %d)", f.key, first.line)
			continue
		}
		if slices.Contains(known, f.key) {
			continue
		}
		msg := fmt.Sprintf("unknown %s field %q", kind, f.key)
		switch hint := closest(f.key, known); {
		case f.key == "<<":
			msg += " (YAML merge keys are not supported: write the fields out)"
		case hint != "":
			msg += fmt.Sprintf(" (did you mean %q?)", hint)
		default:
			msg += fmt.Sprintf(" (known fields: %s)", strings.Join(known, ", "))
		}
		fm.errorAt(diag.UnknownField, f.line, f.col, "%s", msg)
	}
}

// value returns the value of key, or nil when it is absent, null, or
// unusable (its problem reported here, named after the field).
func (fm *frontMatter) value(key string) *value {
	f := fm.get(key)
	if f == nil || f.value.kind == nullValue || fm.bad(f.line, f.col, key, f.value) {
		return nil
	}
	return f.value
}

// bad reports whether v cannot be used, reporting its problem, if it has
// one not reported yet, as what's.
func (fm *frontMatter) bad(line, col int, what string, v *value) bool {
	if v.kind == badValue && v.problem != "" {
		fm.errorAt(diag.WrongType, line, col, "%s %s", what, v.problem)
	}
	return v.kind == badValue
}

// text reads an optional field of text. Scalars keep the text as
// written: "2.10", "010", "0x1F" and "yes" are shown as they are.
func (fm *frontMatter) text(key string) string {
	v := fm.value(key)
	if v == nil {
		return ""
	}
	if v.kind != textValue {
		fm.errorf(diag.WrongType, key, "%s must be a single line of text, not %s", key, describe(v))
		return ""
	}
	return strings.TrimSpace(v.text)
}

// required reads a field of text that must be present and not empty.
func (fm *frontMatter) required(key string) string {
	f := fm.get(key)
	if f == nil {
		fm.errorAt(diag.MissingField, fm.line, fm.col, "missing required field %q", key)
		return ""
	}
	s := fm.text(key)
	if s == "" && (f.value.kind == textValue || f.value.kind == nullValue) {
		fm.errorf(diag.EmptyField, key, "%s must not be empty", key)
	}
	return s
}

// list reads an optional list of text, rejecting empty entries. Entry
// problems are reported at the entry.
func (fm *frontMatter) list(key string) []string {
	v := fm.value(key)
	if v == nil {
		return nil
	}
	switch v.kind {
	case textValue:
		fm.errorf(diag.WrongType, key, "%s must be a list, e.g. %s: [%q]", key, key, shorten(strings.TrimSpace(v.text)))
		return nil
	case mapValue:
		fm.errorf(diag.WrongType, key, "%s must be a list, not a map", key)
		return nil
	}
	var out []string
	for i, item := range v.items {
		what := fmt.Sprintf("%s entry %d", key, i+1)
		s := strings.TrimSpace(item.text)
		switch {
		case fm.bad(item.line, item.col, what, item):
		case item.kind != textValue && item.kind != nullValue:
			fm.errorAt(diag.WrongType, item.line, item.col, "%s must be a single line of text, not %s", what, describe(item))
		case s == "":
			fm.errorAt(diag.EmptyField, item.line, item.col, "%s is empty", what)
		default:
			out = append(out, s)
		}
	}
	return out
}

// boolean reads an optional true or false, written without quotes.
func (fm *frontMatter) boolean(key string) bool {
	v := fm.value(key)
	if v == nil {
		return false
	}
	switch t := v.text; {
	case v.kind == textValue && v.plain && (t == "true" || t == "True" || t == "TRUE"):
		return true
	case v.kind == textValue && v.plain && (t == "false" || t == "False" || t == "FALSE"):
		return false
	}
	fm.errorf(diag.WrongType, key, "%s must be true or false, not %s", key, describe(v))
	return false
}

// integer reads an optional whole number, written in decimal.
func (fm *frontMatter) integer(key string) int {
	v := fm.value(key)
	if v == nil {
		return 0
	}
	n, err := strconv.Atoi(v.text)
	if v.kind != textValue || !v.plain || err != nil {
		fm.errorf(diag.WrongType, key, "%s must be a whole number like 3, not %s", key, describe(v))
	}
	return n
}

// date reads a date field, quoted or not, from its text as written.
func (fm *frontMatter) date(key string, required bool) Date {
	if fm.get(key) == nil {
		if required {
			fm.errorAt(diag.MissingField, fm.line, fm.col, "missing required field %q", key)
		}
		return Date{}
	}
	s := fm.text(key)
	d, err := ParseDate(s)
	if err != nil {
		fm.errorf(diag.BadDate, key, "%v", err)
	}
	return d
}

// maps reads an optional list of maps, such as sources and eras, and
// calls read with a reader of each. A list entry that is not a map is
// reported with the message notMap, prefixed with its name.
func (fm *frontMatter) maps(key string, code diag.Code, name, notMap string, read func(n int, item *frontMatter)) {
	v := fm.value(key)
	if v == nil {
		return
	}
	if v.kind != listValue {
		fm.errorf(code, key, "%s must be a list of %s", key, notMap)
		return
	}
	for i, item := range v.items {
		label := fmt.Sprintf("%s %d", name, i+1)
		if fm.bad(item.line, item.col, label, item) {
			continue
		}
		if item.kind != mapValue {
			fm.errorAt(code, item.line, item.col, "%s must be a map with %s", label, notMap)
			continue
		}
		read(i+1, fm.sub(item, label+": "))
	}
}

// sources reads the list of {title, url, publisher, date} maps.
func (fm *frontMatter) sources() []Source {
	var out []Source
	fm.maps("sources", diag.BadSource, "source", "title, url, publisher and date", func(_ int, sub *frontMatter) {
		if src, ok := sub.source(); ok {
			out = append(out, src)
		}
	})
	return out
}

var sourceFields = []string{"title", "url", "publisher", "date"}

// source reads one source map; ok is false if it had a problem.
func (fm *frontMatter) source() (src Source, ok bool) {
	before := len(*fm.diags)
	fm.checkKeys("source", sourceFields)
	src = Source{Title: fm.text("title"), URL: fm.text("url"), Publisher: fm.text("publisher")}
	if fm.get("date") != nil {
		src.Date = fm.date("date", false)
	}
	if src.Title == "" {
		fm.errorAt(diag.BadSource, fm.line, fm.col, "needs a title")
	}
	if src.URL != "" && !isWebURL(src.URL) {
		fm.errorf(diag.BadSource, "url", "url %q must be an absolute http or https address", src.URL)
	}
	return src, len(*fm.diags) == before
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// closest returns the known word within edit distance 2 of word (or that
// word is a prefix of, like "tag" for "tags"), or "".
func closest(word string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		d := editDistance(strings.ToLower(word), k)
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance over runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
