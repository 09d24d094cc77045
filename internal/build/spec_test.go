package build

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
)

// specCase is one example of a public markdown suite.
type specCase struct {
	name     string // "commonmark-0042", "table-0003": also the file name
	markdown string
}

func (c specCase) path() string { return "content/spec/" + c.name + ".md" }

func (c specCase) source() string {
	return "---\ntitle: " + c.name + "\ndate: 2011-01-01\n---\n" + c.markdown
}

// goldmarkDir is the goldmark module's folder in the module cache, which
// holds its copies of the suites; they are read there, not copied here.
func goldmarkDir(t *testing.T) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	if err != nil {
		t.Fatalf("finding the goldmark module: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		t.Fatal("the goldmark module is not in the module cache; run go mod download")
	}
	return dir
}

// commonMarkCases reads _test/spec.json: the CommonMark spec examples.
func commonMarkCases(t *testing.T, dir string) []specCase {
	data, err := os.ReadFile(filepath.Join(dir, "_test", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	var examples []struct {
		Markdown string
		Example  int
	}
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatal(err)
	}
	var cases []specCase
	for _, e := range examples {
		cases = append(cases, specCase{name: fmt.Sprintf("commonmark-%04d", e.Example), markdown: e.Markdown})
	}
	return cases
}

// Separators of goldmark's extension case files.
const (
	caseHead = "//- - - - - - - - -//"
	caseEnd  = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

// extensionCases reads extension/_test/*.txt: goldmark's cases for its
// extensions, GFM's among them. Each case is a number line, the
// markdown between two caseHead lines, the HTML, then caseEnd.
func extensionCases(t *testing.T, dir string) []specCase {
	files, err := filepath.Glob(filepath.Join(dir, "extension", "_test", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no extension cases in %s: %v", dir, err)
	}
	var cases []specCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		set := strings.TrimSuffix(filepath.Base(f), ".txt")
		for _, chunk := range strings.Split(string(data), caseEnd) {
			head, rest, ok := strings.Cut(strings.TrimLeft(chunk, "\n"), "\n"+caseHead+"\n")
			if !ok {
				continue
			}
			head, options, _ := strings.Cut(head, "\n")
			number, _, _ := strings.Cut(head, ":")
			markdown, _, ok := strings.Cut(rest, "\n"+caseHead+"\n")
			if !ok {
				t.Fatalf("%s: case %q is not in the expected form", f, head)
			}
			markdown = applyCaseOptions(t, f, options, markdown)
			var n int
			if _, err := fmt.Sscan(number, &n); err != nil {
				t.Fatalf("%s: case number %q: %v", f, number, err)
			}
			cases = append(cases, specCase{name: fmt.Sprintf("%s-%04d", set, n), markdown: markdown + "\n"})
		}
	}
	return cases
}

// applyCaseOptions applies the one option the case files use:
// enableEscape, which writes control characters as Go-like escapes.
func applyCaseOptions(t *testing.T, file, options, markdown string) string {
	switch strings.Join(strings.Fields(options), "") {
	case "":
		return markdown
	case `OPTIONS:{"enableEscape":true}`:
		lines := strings.Split(markdown, "\n")
		for i, l := range lines {
			unquoted, err := strconv.Unquote(`"` + strings.ReplaceAll(l, `"`, `\"`) + `"`)
			if err != nil {
				t.Fatalf("%s: line %q: %v", file, l, err)
			}
			lines[i] = unquoted
		}
		return strings.Join(lines, "\n")
	}
	t.Fatalf("%s: unknown case options %q", file, options)
	return ""
}

// reference renders a case with goldmark alone, configured with the
// extensions and options dealsite uses, footnote prefix included.
func reference(c specCase) (string, error) {
	prefix := content.Slugify(strings.TrimSuffix(strings.TrimPrefix(c.path(), "content/"), ".md")) + "-"
	md := goldmark.New(
		goldmark.WithExtensions(meta.Meta, extension.GFM, extension.Typographer,
			extension.NewFootnote(extension.WithFootnoteIDPrefix([]byte(prefix)))),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	)
	var b strings.Builder
	err := md.Convert([]byte(c.source()), &b)
	return b.String(), err
}

// buildCases builds one site with an article per case, leaving out the
// cases the build refuses, and returns the bodies of the others and the
// codes of the refused.
func buildCases(t *testing.T, cases []specCase) (bodies map[string]string, refused map[string]diag.Code) {
	fsys := fstest.MapFS{"content/_index.md": {Data: []byte("---\ntitle: Spec\nbase_url: https://example.org/\n---\n")}}
	for _, c := range cases {
		fsys[c.path()] = &fstest.MapFile{Data: []byte(c.source())}
		addSpecImages(fsys, c)
	}
	refused = map[string]diag.Code{}
	_, err := Build(context.Background(), fsys, Options{Theme: theme})
	var list diag.List
	if err != nil && !errors.As(err, &list) {
		t.Fatal(err)
	}
	for _, d := range list {
		if d.Severity == diag.Error {
			if _, seen := refused[d.Path]; !seen {
				refused[d.Path] = d.Code
			}
			delete(fsys, d.Path)
		}
	}
	out, err := Build(context.Background(), fsys, Options{Theme: theme})
	if err != nil {
		t.Fatalf("building the cases that were not refused: %v", err)
	}
	bodies = map[string]string{}
	for _, a := range out.Site().Articles {
		body, err := a.Body()
		if err != nil {
			t.Fatal(err)
		}
		bodies[a.Path] = string(body)
	}
	return bodies, refused
}

// specRules are the documented rules by which a dealsite body differs
// from goldmark's with the same extensions. Each says how to undo its
// difference, so the test checks that the rule is the only one at work.
var (
	selfLink = specRule{
		doc:  "every heading with an id gets a # self-link",
		undo: func(ours, ref string) (string, string) { return headingAnchor.ReplaceAllString(ours, ""), ref },
	}
	highlighted = specRule{
		doc: "fenced code in a language chroma knows is highlighted with CSS classes",
		undo: func(ours, ref string) (string, string) {
			return chromaSpan.ReplaceAllString(strings.ReplaceAll(ours, `<pre class="chroma">`, "<pre>"), ""), ref
		},
	}
	languageClass = specRule{
		doc: "a code block's language becomes a class only when it is 1-40 ASCII letters, digits or _+#.-",
		undo: func(ours, ref string) (string, string) {
			return ours, languageAttr.ReplaceAllString(ref, "")
		},
	}
	colonPath = specRule{
		doc:  "a relative link with a colon before any slash is written with ./, so every URL reader sees a path",
		undo: func(ours, ref string) (string, string) { return strings.ReplaceAll(ours, `href="./`, `href="`), ref },
	}
	autolinkText = specRule{
		doc: "an autolink with a harmless scheme outside http, https, mailto and tel shows as text",
		undo: func(ours, ref string) (string, string) {
			return ours, plainAutolink.ReplaceAllStringFunc(ref, func(link string) string {
				text := plainAutolink.FindStringSubmatch(link)[1]
				if scheme, _, _ := strings.Cut(strings.ToLower(text), ":"); allowedSchemes[scheme] {
					return link
				}
				return text
			})
		},
	}
	missingArticle = specRule{
		doc:     "a link to a .md file is a link to an article; one that does not exist is refused",
		refused: diag.MissingTarget,
	}
)

var allowedSchemes = map[string]bool{"http": true, "https": true, "mailto": true, "tel": true}

// specRule is one documented difference, or a reason to refuse.
type specRule struct {
	doc     string
	undo    func(ours, ref string) (string, string)
	refused diag.Code // set for rules that refuse the article
}

var (
	headingAnchor = regexp.MustCompile(` <a class="heading-anchor" href="#[^"]*" aria-label="Link to this section">#</a>`)
	chromaSpan    = regexp.MustCompile(`</?span[^>]*>`)
	languageAttr  = regexp.MustCompile(` class="language-[^"]*"`)
	// plainAutolink is an autolink whose text is its address.
	plainAutolink = regexp.MustCompile(`<a href="[^"]*">([a-z][a-z0-9+.-]*:[^<]*)</a>`)
)

// specExceptions lists every case that does not build to goldmark's body,
// with the rule that changes it. Cases not listed must be identical.
var specExceptions = map[string]specRule{
	"commonmark-0010": selfLink, "commonmark-0059": selfLink, "commonmark-0062": selfLink,
	"commonmark-0066": selfLink, "commonmark-0067": selfLink, "commonmark-0068": selfLink,
	"commonmark-0071": selfLink, "commonmark-0072": selfLink, "commonmark-0073": selfLink,
	"commonmark-0074": selfLink, "commonmark-0075": selfLink, "commonmark-0076": selfLink,
	"commonmark-0077": selfLink, "commonmark-0078": selfLink, "commonmark-0079": selfLink,
	"commonmark-0080": selfLink, "commonmark-0081": selfLink, "commonmark-0082": selfLink,
	"commonmark-0083": selfLink, "commonmark-0084": selfLink, "commonmark-0086": selfLink,
	"commonmark-0089": selfLink, "commonmark-0090": selfLink, "commonmark-0091": selfLink,
	"commonmark-0095": selfLink, "commonmark-0096": selfLink, "commonmark-0102": selfLink,
	"commonmark-0103": selfLink, "commonmark-0115": selfLink, "commonmark-0141": selfLink,
	"commonmark-0214": selfLink, "commonmark-0215": selfLink, "commonmark-0227": selfLink,
	"commonmark-0228": selfLink, "commonmark-0229": selfLink, "commonmark-0230": selfLink,
	"commonmark-0232": selfLink, "commonmark-0300": selfLink, "commonmark-0646": selfLink,
	"commonmark-0647": selfLink,
	"commonmark-0142": highlighted, "commonmark-0143": highlighted,
	"commonmark-0034": languageClass, "commonmark-0144": languageClass,
	"strikethrough-0005": languageClass,
	"commonmark-0500":    colonPath,
	"commonmark-0596":    autolinkText, "commonmark-0598": autolinkText, "commonmark-0599": autolinkText,
	"commonmark-0601": autolinkText, "linkify-0007": autolinkText,
	"commonmark-0484": missingArticle, "table-0014": missingArticle,
	"commonmark-0517": picture, "commonmark-0520": picture, "commonmark-0531": picture,
	"commonmark-0572": picture, "commonmark-0573": picture, "commonmark-0574": picture,
	"commonmark-0575": picture, "commonmark-0576": picture, "commonmark-0577": picture,
	"commonmark-0578": picture, "commonmark-0579": picture, "commonmark-0580": picture,
	"commonmark-0582": picture, "commonmark-0583": picture, "commonmark-0584": picture,
	"commonmark-0585": picture, "commonmark-0586": picture, "commonmark-0587": picture,
	"commonmark-0588": picture, "commonmark-0589": picture, "commonmark-0591": picture,
	"commonmark-0581":  noAlt,
	"typographer-0019": remoteImage,
}

// TestSpecExamples builds the CommonMark spec examples and goldmark's
// extension cases (GFM's tables, strikethrough, autolinks and task
// lists among them) through the real pipeline, and compares each body
// with goldmark's. goldmark does not ship the GFM spec's own examples.
func TestSpecExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of about 700 articles")
	}
	dir := goldmarkDir(t)
	cases := append(commonMarkCases(t, dir), extensionCases(t, dir)...)
	bodies, refused := buildCases(t, cases)
	counts := map[bool]map[string]int{true: {}, false: {}} // by "is CommonMark"
	for _, c := range cases {
		counts[strings.HasPrefix(c.name, "commonmark-")][checkSpecCase(t, c, bodies, refused)]++
	}
	for _, commonMark := range []bool{true, false} {
		n, suite := counts[commonMark], "goldmark extension cases"
		if commonMark {
			suite = "CommonMark examples"
		}
		t.Logf("%s: %d identical, %d differing by a documented rule, %d refused", suite, n["identical"], n["differing"], n["refused"])
	}
}

// checkSpecCase compares one case with goldmark and its table entry, and
// says how it came out.
func checkSpecCase(t *testing.T, c specCase, bodies map[string]string, refused map[string]diag.Code) string {
	rule, listed := specExceptions[c.name]
	if code, ok := refused[c.path()]; ok {
		if !listed || rule.refused != code {
			t.Errorf("%s was refused with %s; list it in specExceptions with the rule\n%s", c.name, code, c.markdown)
		}
		return "refused"
	}
	ref, err := reference(c)
	if err != nil {
		t.Fatal(err)
	}
	ours := bodies[c.path()]
	switch {
	case ours == ref && listed:
		t.Errorf("%s is identical to goldmark's; remove it from specExceptions", c.name)
	case ours == ref:
		return "identical"
	case !listed || rule.undo == nil:
		t.Errorf("%s differs from goldmark's:\n--- markdown\n%s--- dealsite\n%s--- goldmark\n%s", c.name, c.markdown, ours, ref)
	default:
		if o, r := rule.undo(ours, ref); o != r {
			t.Errorf("%s differs by more than %q:\n--- dealsite\n%s--- goldmark\n%s", c.name, rule.doc, o, r)
		}
	}
	return "differing"
}
