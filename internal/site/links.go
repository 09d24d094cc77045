package site

import (
	"html"
	"html/template"
	"net/url"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// resolveLinks replaces the placeholders that content left for links
// between article files with the URLs of the target pages. A link to a
// missing file, or to a draft that is not published, is an error.
func (s *Site) resolveLinks(c *content.Content, diags *diag.List) {
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
	resolve := func(from string, refs []content.Ref, body string) template.HTML {
		if len(refs) == 0 {
			return template.HTML(body) // goldmark output, sanitized by content
		}
		pairs := make([]string, 0, 2*len(refs))
		for i, ref := range refs {
			if broken[ref.Target] {
				continue // the target's own errors are reported already
			}
			href := s.refURL(from, ref, published, drafts, diags)
			pairs = append(pairs, `href="`+content.RefHref(i)+`"`, `href="`+html.EscapeString(href)+`"`)
		}
		return template.HTML(strings.NewReplacer(pairs...).Replace(body))
	}
	s.Intro = resolve(content.SettingsPath, c.Settings.IntroRefs, c.Settings.Intro)
	for _, a := range s.Articles {
		a.Body = resolve(a.Path, a.src.Refs, a.src.Body)
	}
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
