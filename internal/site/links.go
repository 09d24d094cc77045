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
// draft under review (Options.ReviewDrafts), a warning.
func (s *Site) resolveLinks(c *content.Content, opts Options, diags *diag.List) {
	memo := opts.Memo
	published := make(map[string]*Article, len(s.Articles))
	for _, a := range s.Articles {
		published[a.Path] = a
	}
	drafts := map[string]bool{}
	for _, a := range c.Articles {
		drafts[a.Path] = a.Draft
	}
	broken := map[string]bool{}
	for _, p := range c.Broken {
		broken[p] = true
	}
	hrefsOf := func(from string, refs []content.Ref, diags *diag.List) []string {
		if len(refs) == 0 {
			return nil
		}
		hrefs := make([]string, len(refs))
		for i, ref := range refs {
			if broken[ref.Target] {
				continue // the target's own errors are reported already
			}
			hrefs[i] = html.EscapeString(s.refURL(from, ref, published, drafts, diags))
		}
		return hrefs
	}
	resolve := func(body string, hrefs []string) template.HTML {
		if len(hrefs) == 0 {
			return template.HTML(body) // goldmark output, sanitized by content
		}
		return template.HTML(replaceRefs(body, hrefs))
	}
	s.Intro = resolve(c.Settings.Intro, hrefsOf(content.SettingsPath, c.Settings.IntroRefs, diags))
	var kept map[*content.Article]resolvedBody
	if memo != nil {
		kept = make(map[*content.Article]resolvedBody, len(s.Articles))
	}
	for _, a := range s.Articles {
		a.hrefs = hrefsOf(a.Path, a.src.Refs, s.linkProblems(a, opts, diags))
		if a.src.Spilled() {
			continue // Body reads it back when asked
		}
		if old, ok := memo.get(a.src); ok && slices.Equal(old.hrefs, a.hrefs) {
			a.body = old.body
		} else {
			a.body = resolve(a.src.Body, a.hrefs)
		}
		if kept != nil {
			kept[a.src] = resolvedBody{hrefs: a.hrefs, body: a.body}
		}
	}
	memo.replace(kept)
	for i := range s.warnings {
		s.warnings[i].Severity = diag.Warning
	}
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

// replaceRefs swaps each href="dealsite-ref:N" placeholder in body for
// hrefs[N] in one pass (a strings.Replacer per article cost more than the
// replacing).
func replaceRefs(body string, hrefs []string) string {
	const prefix = `href="` + content.RefScheme
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
		b.WriteString(`href="` + hrefs[n] + `"`)
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
