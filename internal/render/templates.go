package render

import (
	"crypto/sha256"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// LayoutsDir is the folder of a site whose templates override the theme's.
const LayoutsDir = "layouts"

// PageTemplates are the templates that each render one kind of page.
var PageTemplates = []string{"index.html", "article.html", "year.html", "years.html", "term.html", "terms.html", "search.html", "404.html"}

// Templates are parsed page templates, ready to execute concurrently.
type Templates struct {
	pages  map[string]*template.Template // by file name, e.g. "article.html"
	shared *template.Template            // base.html and partials, for the template functions
	// events holds each article's "event" partial, rendered once per
	// build by Plan and read by {{event .}} on every listing.
	events map[*site.Article]eventHTML
	// aside, when set, keeps events' snippets on disk (see SetAside).
	aside *content.Spill
	// factsAside is aside while the snippets are rendered (see factsOf).
	factsAside *content.Spill
	// chromes holds every template of chromeFile for every kind of
	// page, rendered once per build by Plan for {{chrome "NAME" .Kind}}.
	chromes map[chromeKey]template.HTML
	// chromeRev is a hash of every chrome rendered: every page shows it.
	chromeRev site.Revision
	// facts holds each article's "facts" partial once {{facts .}} has
	// rendered it in this build: by *site.Article, eventHTML.
	facts *sync.Map
	// fingerprint identifies the template files, for Cache keys.
	fingerprint string
	ids         []string // see IDs
	media       *Media   // see SetMedia
	pics        pictures // the Plan's, for {{lead .}}
}

// LoadTemplates overlays the site's layouts/ on the default theme file by
// file and parses the result. base.html and partials/*.html are shared by
// every page template. Templates are named by path ("layouts/article.html")
// so errors read "layouts/article.html:12:3: …".
func LoadTemplates(siteFS, themeFS fs.FS) (*Templates, error) {
	var diags diag.List
	files := overlay(siteFS, themeFS, &diags)
	t := &Templates{pages: map[string]*template.Template{}, facts: new(sync.Map), fingerprint: fingerprint(files), ids: literalIDs(files)}
	shared := template.New("").Funcs(template.FuncMap{"event": t.event, "facts": t.factsOf, "chrome": t.chrome, "lead": t.lead})
	t.shared = shared
	for _, name := range sortedNames(files) {
		if isShared(name) {
			parse(shared, name, files[name], &diags)
		}
	}
	for _, name := range PageTemplates {
		text, ok := files[name]
		if !ok {
			diags.Addf(diag.MissingTemplate, LayoutsDir+"/"+name, 0, "missing page template")
			continue
		}
		page, err := shared.Clone()
		if err != nil {
			diags.Addf(diag.TemplateSyntax, LayoutsDir+"/"+name, 0, "%v", err)
			continue
		}
		if parse(page, name, text, &diags) {
			t.pages[name] = page
		}
	}
	return t, diags.Err()
}

func isShared(name string) bool {
	return name == "base.html" || strings.HasPrefix(name, "partials/")
}

// parse adds one file to set, reporting a parse error under its path.
func parse(set *template.Template, name, text string, diags *diag.List) bool {
	full := LayoutsDir + "/" + name
	if _, err := set.New(full).Parse(text); err != nil {
		diags.Add(templateError(diag.TemplateSyntax, full, err))
		return false
	}
	return true
}

// overlay reads the theme's templates, then the site's, which win. A site
// template that no page uses is an error, so a misspelt override
// ("artcle.html") is not silently ignored.
func overlay(siteFS, themeFS fs.FS, diags *diag.List) map[string]string {
	files := map[string]string{}
	readTemplates(themeFS, ".", files, diags)
	siteFiles := map[string]string{}
	if siteFS != nil {
		if sub, err := fs.Sub(siteFS, LayoutsDir); err == nil {
			readTemplates(sub, LayoutsDir, siteFiles, diags)
		}
	}
	for name, text := range siteFiles {
		if !isShared(name) && !slices.Contains(PageTemplates, name) {
			diags.Addf(diag.UnknownTemplate, LayoutsDir+"/"+name, 0, "not a template dealsite uses: page templates are %s; shared ones are base.html and partials/*.html",
				strings.Join(PageTemplates, ", "))
			continue
		}
		files[name] = text
	}
	return files
}

// readTemplates reads every *.html file under fsys into files by path.
func readTemplates(fsys fs.FS, label string, files map[string]string, diags *diag.List) {
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return fs.SkipAll // no layouts/ folder: nothing to override
			}
			diags.Addf(diag.Unreadable, path.Join(label, p), 0, "cannot read: %v", err)
			return nil
		}
		if d.IsDir() || path.Ext(p) != ".html" || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if bad := content.CheckRegular(fsys, p, d); bad != nil {
			bad.Path = path.Join(label, p)
			diags.Add(*bad)
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			diags.Addf(diag.Unreadable, path.Join(label, p), 0, "cannot read: %v", err)
			return nil
		}
		files[p] = string(b)
		return nil
	})
	if err != nil {
		diags.Addf(diag.Unreadable, label, 0, "%v", err)
	}
}

// fingerprint hashes every template file's name and text.
func fingerprint(files map[string]string) string {
	h := sha256.New()
	for _, name := range sortedNames(files) {
		h.Write([]byte(name + "\x00" + files[name] + "\x00"))
	}
	return string(h.Sum(nil))
}

func sortedNames(m map[string]string) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// templateLocation matches the "template: NAME:LINE[:COL]: " prefix of
// html/template errors; our template names are their file paths.
var templateLocation = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::(\d+))?: `)

// templateError turns a template error into a diagnostic on the file and
// line it names, falling back to file.
func templateError(code diag.Code, file string, err error) diag.Diagnostic {
	msg := err.Error()
	m := templateLocation.FindStringSubmatch(msg)
	if m == nil {
		return diag.Diagnostic{Code: code, Path: file, Message: strings.TrimPrefix(msg, "template: ")}
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return diag.Diagnostic{Code: code, Path: m[1], Line: line, Col: col, Message: msg[len(m[0]):]}
}
