package site

import (
	"html"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// resolveLinks replaces the placeholders that content left for links
// between article files with the URLs of the target pages. A link to a
// missing file, or to a draft that is not published, is an error; in a
// draft under review (Options.ReviewDrafts), a warning. It returns the
// index it looked links up in and the bodies for the memo, which New
// keeps only when the model is made: the memo always holds the last
// model's bodies, which Update relies on.
func (s *Site) resolveLinks(c *content.Content, opts Options, diags *diag.List) (*linkIndex, map[*content.Article]resolvedBody) {
	memo := opts.Memo
	x := newLinkIndex(s, c)
	s.Intro = resolveBody(c.Settings.Intro, x.hrefs(s, content.SettingsPath, c.Settings.IntroRefs, diags))
	var kept map[*content.Article]resolvedBody
	if memo != nil {
		kept = make(map[*content.Article]resolvedBody, len(s.Articles))
	}
	for _, a := range s.Articles {
		a.hrefs = x.hrefs(s, a.Path, a.src.Refs, s.linkProblems(a, opts, diags))
		if a.src.Spilled() {
			continue // Body reads it back when asked
		}
		if old, ok := memo.get(a.src); ok && slices.Equal(old.hrefs, a.hrefs) {
			a.body = old.body
		} else {
			a.body = resolveBody(a.src.Body, a.hrefs)
		}
		if kept != nil {
			kept[a.src] = resolvedBody{hrefs: a.hrefs, body: a.body}
		}
	}
	for i := range s.warnings {
		s.warnings[i].Severity = diag.Warning
	}
	return x, kept
}

// linkIndex is what resolving a link looks up: the published articles,
// the drafts and the files that could not be read, by path.
type linkIndex struct {
	published map[string]*Article
	drafts    map[string]bool
	broken    map[string]bool
}

func newLinkIndex(s *Site, c *content.Content) *linkIndex {
	x := &linkIndex{published: make(map[string]*Article, len(s.Articles)), drafts: map[string]bool{}, broken: map[string]bool{}}
	for _, a := range s.Articles {
		x.published[a.Path] = a
	}
	for _, a := range c.Articles {
		if a.Draft {
			x.drafts[a.Path] = true
		}
	}
	for _, p := range c.Broken {
		x.broken[p] = true
	}
	return x
}

// hrefs are the URLs of refs, links in the file from.
func (x *linkIndex) hrefs(s *Site, from string, refs []content.Ref, diags *diag.List) []string {
	if len(refs) == 0 {
		return nil
	}
	hrefs := make([]string, len(refs))
	for i, ref := range refs {
		if x.broken[ref.Target] {
			continue // the target's own errors are reported already
		}
		hrefs[i] = html.EscapeString(s.refURL(from, ref, x.published, x.drafts, diags))
	}
	return hrefs
}

// resolve is the body of src, a published article, with its links
// resolved (none for a spilled body: Body resolves it when asked).
func (x *linkIndex) resolve(s *Site, src *content.Article, diags *diag.List) resolvedBody {
	hrefs := x.hrefs(s, src.Path, src.Refs, diags)
	if src.Spilled() {
		return resolvedBody{hrefs: hrefs}
	}
	return resolvedBody{hrefs: hrefs, body: resolveBody(src.Body, hrefs)}
}

// resolveBody puts hrefs in the placeholders of body.
func resolveBody(body string, hrefs []string) template.HTML {
	if len(hrefs) == 0 {
		return template.HTML(body) // goldmark output, sanitized by content
	}
	return template.HTML(replaceRefs(body, hrefs))
}

// linkProblems is where the problems with a's links go: diags, or for a
// draft under review the site's warnings.
func (s *Site) linkProblems(a *Article, opts Options, diags *diag.List) *diag.List {
	if a.Draft && opts.ReviewDrafts {
		return &s.warnings
	}
	return diags
}

// refDiag reports a problem with a link at its place in the source.
func refDiag(code diag.Code, from string, ref content.Ref, format string, args ...any) diag.Diagnostic {
	d := diag.New(code, from, ref.Line, format, args...)
	d.Col = ref.Col
	return d
}

func (s *Site) refURL(from string, ref content.Ref, published map[string]*Article, drafts map[string]bool, diags *diag.List) string {
	if len(ref.Files) > 0 {
		return s.filesURL(from, ref, published)
	}
	var u string
	switch target, ok := published[ref.Target]; {
	case ok:
		u = target.URL
	case ref.Target == content.SettingsPath:
		u = s.Home().URL
	case drafts[ref.Target]:
		diags.Add(refDiag(diag.DraftTarget, from, ref, "link to %s, which is a draft and will not be published", ref.Target))
	default:
		diags.Add(refDiag(diag.MissingTarget, from, ref, "link to %s: no such article", ref.Target))
	}
	if ref.Fragment != "" {
		u += "#" + (&url.URL{Fragment: ref.Fragment}).EscapedFragment()
	}
	return u
}

// filesURL is the URL of files the site publishes (see
// content.Ref.Files): under the base path, or beside the page of the
// article from.
func (s *Site) filesURL(from string, ref content.Ref, published map[string]*Article) string {
	base := s.BasePath
	if a, ok := published[from]; ok && ref.Beside {
		base = a.URL
	}
	urls := make([]string, len(ref.Files))
	for i, f := range ref.Files {
		urls[i] = base + f
	}
	return strings.Join(urls, ", ")
}

// replaceRefs swaps each ="dealsite-ref:N" placeholder in body (an
// href, or a picture's src or srcset) for hrefs[N] in one pass (a
// strings.Replacer per article cost more than the replacing). Text
// cannot forge one: goldmark escapes its quotes.
func replaceRefs(body string, hrefs []string) string {
	const prefix = `="` + content.RefScheme
	var b strings.Builder
	b.Grow(len(body))
	for {
		i := strings.Index(body, prefix)
		if i < 0 {
			b.WriteString(body)
			return b.String()
		}
		b.WriteString(body[:i])
		rest := body[i+len(prefix):]
		end := strings.IndexByte(rest, '"')
		n, err := strconv.Atoi(rest[:max(end, 0)])
		if end < 0 || err != nil || n < 0 || n >= len(hrefs) {
			b.WriteString(body[i : i+len(prefix)]) // not ours: keep as written
			body = rest
			continue
		}
		b.WriteString(`="` + hrefs[n] + `"`)
		body = rest[end+1:]
	}
}

func (m *Memo) get(src *content.Article) (resolvedBody, bool) {
	if m == nil {
		return resolvedBody{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.bodies[src]
	return r, ok
}

// replace keeps only this build's bodies, so deleted articles go.
func (m *Memo) replace(bodies map[*content.Article]resolvedBody) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.bodies = bodies
}
