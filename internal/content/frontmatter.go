package content

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/diag"
)

// frontMatter is the raw YAML block of one file plus what is needed to
// point errors at the right line of that file.
type frontMatter struct {
	path   string
	fields map[string]any
	lines  []string // the YAML lines; lines[i] is file line i+2
	diags  *diag.List
}

// lineOf returns the file line of a top-level key, or 1 (the opening
// "---") when the key cannot be found.
func (fm *frontMatter) lineOf(key string) int {
	for i, l := range fm.lines {
		for _, spelling := range []string{key, `"` + key + `"`, `'` + key + `'`} {
			rest, ok := strings.CutPrefix(l, spelling)
			if ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), ":") {
				return i + 2
			}
		}
	}
	return 1
}

func (fm *frontMatter) errorf(code diag.Code, key, format string, args ...any) {
	d := diag.New(code, fm.path, fm.lineOf(key), format, args...)
	if d.Line > 1 {
		d.Col = 1 // top-level keys start their line
	}
	fm.diags.Add(d)
}

// checkKeys reports every key not in known, with a "did you mean" hint
// when a known key is close, so typos like "tittle" are never ignored.
func (fm *frontMatter) checkKeys(kind string, known []string) {
	fm.checkDuplicates()
	for _, key := range sortedKeys(fm.fields) {
		if slices.Contains(known, key) {
			continue
		}
		msg := fmt.Sprintf("unknown %s field %q", kind, key)
		if hint := closest(key, known); hint != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", hint)
		} else {
			msg += fmt.Sprintf(" (known fields: %s)", strings.Join(known, ", "))
		}
		fm.errorf(diag.UnknownField, key, "%s", msg)
	}
}

// topLevelKey matches a top-level "key:" line of the YAML block.
var topLevelKey = regexp.MustCompile(`^(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*:`)

// checkDuplicates reports a key given twice, which YAML would otherwise
// resolve silently by keeping the last value.
func (fm *frontMatter) checkDuplicates() {
	seen := map[string]int{}
	for i, l := range fm.lines {
		m := topLevelKey.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		key := m[1] + m[2] + m[3]
		if first, dup := seen[key]; dup {
			d := diag.New(diag.DuplicateField, fm.path, i+2, "field %q is given twice (also on line %d)", key, first)
			d.Col = 1
			fm.diags.Add(d)
			continue
		}
		seen[key] = i + 2
	}
}

// text reads an optional scalar field as a trimmed string. Numbers are
// accepted because YAML turns `value: 2013` into an integer.
func (fm *frontMatter) text(key string) string {
	v, ok := fm.fields[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := scalar(v)
	if !ok {
		fm.errorf(diag.WrongType, key, "%s", notText(key, v))
	}
	return s
}

// notText explains why v is not text, naming YAML 1.1's surprise
// booleans (title: yes, tags: [No]) so the fix is obvious.
func notText(what string, v any) string {
	if _, isBool := v.(bool); isBool {
		return what + " must be text, but YAML reads yes/no/on/off as true/false: quote it, e.g. \"Yes\""
	}
	return what + " must be a single line of text, not " + describe(v)
}

// required reads a scalar that must be present and non-empty.
func (fm *frontMatter) required(key string) string {
	v, ok := fm.fields[key]
	if !ok {
		fm.diags.Addf(diag.MissingField, fm.path, 1, "missing required field %q", key)
		return ""
	}
	s := fm.text(key)
	if _, isText := scalar(v); (isText || v == nil) && s == "" {
		fm.errorf(diag.EmptyField, key, "%s must not be empty", key)
	}
	return s
}

// list reads an optional list of scalars, rejecting empty entries.
func (fm *frontMatter) list(key string) []string {
	v, ok := fm.fields[key]
	if !ok || v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		fm.errorf(diag.WrongType, key, "%s must be a list, e.g. %s: [%q]", key, key, fmt.Sprint(v))
		return nil
	}
	var out []string
	for i, item := range items {
		s, ok := scalar(item)
		switch {
		case !ok:
			fm.errorf(diag.WrongType, key, "%s", notText(fmt.Sprintf("%s entry %d", key, i+1), item))
			continue
		case s == "":
			fm.errorf(diag.EmptyField, key, "%s entry %d is empty", key, i+1)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (fm *frontMatter) boolean(key string) bool {
	v, ok := fm.fields[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		fm.errorf(diag.WrongType, key, "%s must be true or false, not %s", key, describe(v))
	}
	return b
}

// integer reads an optional whole number.
func (fm *frontMatter) integer(key string) int {
	v, ok := fm.fields[key]
	if !ok || v == nil {
		return 0
	}
	n, ok := v.(int)
	if !ok {
		fm.errorf(diag.WrongType, key, "%s must be a whole number, not %s", key, describe(v))
	}
	return n
}

func (fm *frontMatter) date(key string, required bool) Date {
	if _, ok := fm.fields[key]; !ok {
		if required {
			fm.diags.Addf(diag.MissingField, fm.path, 1, "missing required field %q", key)
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

// sources reads the list of {title, url, publisher, date} maps.
func (fm *frontMatter) sources() []Source {
	v, ok := fm.fields["sources"]
	if !ok || v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		fm.errorf(diag.WrongType, "sources", "sources must be a list of {title, url, publisher, date}")
		return nil
	}
	out := make([]Source, 0, len(items))
	for i, item := range items {
		if src, ok := fm.source(i+1, item); ok {
			out = append(out, src)
		}
	}
	return out
}

var sourceFields = []string{"title", "url", "publisher", "date"}

func (fm *frontMatter) source(n int, item any) (Source, bool) {
	m, ok := stringMap(item)
	if !ok {
		fm.errorf(diag.BadSource, "sources", "source %d must be a map with title, url, publisher and date", n)
		return Source{}, false
	}
	sub := &frontMatter{path: fm.path, fields: m, diags: &diag.List{}}
	sub.checkKeys("source", sourceFields)
	src := Source{
		Title:     sub.text("title"),
		URL:       sub.text("url"),
		Publisher: sub.text("publisher"),
	}
	if _, ok := m["date"]; ok {
		src.Date = sub.date("date", false)
	}
	if src.Title == "" {
		sub.diags.Addf(diag.BadSource, fm.path, 0, "needs a title")
	}
	if src.URL != "" && !isWebURL(src.URL) {
		sub.diags.Addf(diag.BadSource, fm.path, 0, "url %q must be an absolute http or https address", src.URL)
	}
	// Point every problem in the source at the "sources:" line.
	for _, d := range *sub.diags {
		fm.errorf(d.Code, "sources", "source %d: %s", n, d.Message)
	}
	return src, len(*sub.diags) == 0
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

func describe(v any) string {
	switch v.(type) {
	case []any:
		return "a list"
	case map[any]any, map[string]any:
		return "a map"
	case bool:
		return "true/false"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}

// stringMap converts the map[any]any that YAML produces for nested maps.
func stringMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[fmt.Sprint(k)] = v
		}
		return out, true
	}
	return nil, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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

// yamlLine matches the line number in goldmark-meta's YAML errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError turns a YAML error into a diagnostic on the right file line:
// the YAML starts on line 2, after the opening "---".
func yamlError(path string, err error) diag.Diagnostic {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return diag.New(diag.BadYAML, path, n+1, "invalid front matter: %s", strings.TrimPrefix(msg, m[0]))
	}
	return diag.New(diag.BadYAML, path, 1, "invalid front matter: %s", strings.TrimPrefix(msg, "yaml: "))
}

// splitFrontMatter finds the YAML block between the opening "---" line
// and the next line of dashes. It reports whether the file starts with
// front matter and the YAML lines if the block is closed.
func splitFrontMatter(src []byte) (yaml []string, opened, closed bool) {
	lines := bytes.Split(src, []byte("\n"))
	if len(lines) == 0 || !isDashes(lines[0]) {
		return nil, false, false
	}
	for i := 1; i < len(lines); i++ {
		if isClosing(lines[i]) {
			out := make([]string, i-1)
			for j := range out {
				out[j] = string(lines[j+1])
			}
			return out, true, true
		}
	}
	return nil, true, false
}

// isDashes reports an opening line: three or more dashes.
func isDashes(line []byte) bool {
	line = bytes.TrimSpace(line)
	return len(line) >= 3 && len(bytes.Trim(line, "-")) == 0
}

// isClosing mirrors goldmark-meta's rule for the end of the block (any
// non-blank line of only dashes), so both agree on where the YAML ends.
func isClosing(line []byte) bool {
	line = bytes.TrimSpace(line)
	return len(line) > 0 && len(bytes.Trim(line, "-")) == 0
}
