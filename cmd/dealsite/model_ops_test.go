package main_test

import (
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The editor operations of TestModel. A model keeps the site's sources
// as structured data, so that an operation can change one thing (a
// date, a tag's spelling, a slug) and write the file again as an editor
// would. What the site should build into is never predicted here: a
// clean build is the oracle.

// modelArticle is the front matter and body of one article file.
type modelArticle struct {
	title, date, end string
	weight           int
	tags, parties    []string
	summary, value   string
	slug             string
	draft            bool
	body             string
	links            []string // file names in the same folder the body links to
	broken           string   // when set, the file holds this instead
	// target is, for an article that is a symbolic link, the file it
	// leads to (under notes/, outside content/), which edits change.
	target   string
	dangling bool // the target is deleted: an error
	bulk     bool // one of a bulk checkout's articles
	// pictures are the pictures the body shows (model_media_test.go),
	// lead its lead image: a file name beside it or "/img/name".
	pictures []string
	lead     string
}

// model is a site folder and what the generator knows of it.
type model struct {
	t        *testing.T
	r        *rand.Rand
	dir      string
	articles map[string]*modelArticle // by slash path relative to the site
	settings string                   // content/_index.md
	layouts  map[string]string        // by path relative to the site
	static   map[string]string        // by path relative to the site
	log      []string                 // the steps taken, for replaying a failure
	single   bool                     // the last step was one write of one file
	// badSettings: the settings hold an error on purpose.
	badSettings bool
	introLink   string // the article the introduction links to, if any
	saves       int    // files saved by this step (see single)
	// noop: the step saved files without changing any of their bytes,
	// so no rebuild is due.
	noop bool
	// queue holds the names of operations the next steps take, in order.
	queue []string
	// procs are the running watch and serve, for the operations that
	// edit while one of them rebuilds.
	procs []*proc
	// dotStatic holds static files under dot-folders, which watch does
	// not see (README): an edit of one is always followed by another.
	dotStatic map[string]string
	ops       map[string]int // how often each operation ran
	// attic and atticLayouts hold what was moved out of the site, by
	// the folder it is in now.
	attic        map[string]map[string]*modelArticle
	atticLayouts map[string]map[string]string
}

func newModel(t *testing.T, seed uint64) *model {
	m := &model{
		t: t, r: rand.New(rand.NewPCG(seed, 0x6d6f64656c)), dir: filepath.Join(t.TempDir(), "site"),
		articles: map[string]*modelArticle{}, layouts: map[string]string{}, static: map[string]string{},
		dotStatic: map[string]string{}, ops: map[string]int{},
		attic: map[string]map[string]*modelArticle{}, atticLayouts: map[string]map[string]string{},
	}
	m.log = append(m.log, "start: "+m.start())
	if seed%4 == 2 { // a quarter of the seeds work on paged lists throughout
		m.log[0] += "; " + m.bulkCheckout()
	}
	return m
}

// start writes a small valid site.
func (m *model) start() string {
	m.writeSettings(false)
	for range 4 + m.r.IntN(4) {
		p := m.freshPath("")
		a := m.randomArticle()
		if a.endsEarly() {
			a.end = ""
		}
		m.articles[p] = a
		m.writeArticle(p)
	}
	m.static["static/hello.txt"] = "hello\n"
	m.put("static/hello.txt", m.static["static/hello.txt"])
	return fmt.Sprintf("%d articles, settings, static/hello.txt", len(m.articles))
}

// An op changes the site and describes the change; it returns "" when
// it does not apply to the site as it is.
type op struct {
	name   string
	weight int
	do     func(m *model) string
}

// modelOps change the site in one go, as one editor action would. The
// stress ops (model_stress_test.go) combine them.
var modelOps = []op{
	{"add article", 6, (*model).addArticle},
	{"edit body", 5, (*model).editBody},
	{"edit title", 3, (*model).editTitle},
	{"change date", 4, (*model).changeDate},
	{"change tags", 4, (*model).changeTags},
	{"respell tag", 3, (*model).respellTag},
	{"rename term everywhere", 2, (*model).renameTerm},
	{"change parties", 3, (*model).changeParties},
	{"toggle draft", 3, (*model).toggleDraft},
	{"change weight", 2, (*model).changeWeight},
	{"change slug", 2, (*model).changeSlug},
	{"change summary or value", 2, (*model).changeSummary},
	{"rename article", 3, (*model).renameArticle},
	{"rename article, case only", 1, (*model).renameCase},
	{"delete article", 3, (*model).deleteArticle},
	{"delete and re-create", 2, (*model).deleteAndRecreate},
	{"rename folder", 2, (*model).renameFolder},
	{"move a folder out of the site", 1, (*model).moveFolderOut},
	{"move a folder back in", 2, (*model).moveFolderIn},
	{"delete folder", 1, (*model).deleteFolder},
	{"break article", 2, (*model).breakArticle},
	{"settings", 3, (*model).changeSettings},
	{"layout override", 5, (*model).putLayout},
	{"remove layout", 3, (*model).removeLayout},
	{"remove layouts folder", 1, (*model).removeLayouts},
	{"static file", 3, (*model).putStatic},
	{"remove static file", 2, (*model).removeStatic},
	{"static folder", 1, (*model).putStaticFolder},
	{"remove static folder", 1, (*model).removeStaticFolder},
	{"mend", 8, (*model).mend},
	{"flip static file and folder", 1, (*model).flipStatic},
	{"add linked article", 1, (*model).addLinkedArticle},
	{"break article link", 1, (*model).breakLink},
	{"bulk checkout", 2, (*model).bulkCheckout},
	{"move in a paged list", 8, (*model).moveInPagedList}, // only once there is a bulk checkout
}

// step takes the next queued operation, or a random one, and logs it.
func (m *model) step() {
	m.saves, m.noop = 0, false
	what := m.queuedOp()
	if what == "" {
		what = m.randomOp(append(slices.Clip(modelOps), stressOps...))
	}
	m.single = m.saves == 1 && !m.noop
	m.log = append(m.log, fmt.Sprintf("step %d: %s", len(m.log), what))
}

// randomOp applies an operation of ops that applies, picked by weight,
// and describes it.
func (m *model) randomOp(ops []op) string {
	total := 0
	for _, o := range ops {
		total += o.weight
	}
	for {
		n := m.r.IntN(total)
		for _, o := range ops {
			if n -= o.weight; n < 0 {
				if what := o.do(m); what != "" {
					m.ops[o.name]++
					return o.name + ": " + what
				}
				break
			}
		}
	}
}

// queuedOp applies the first queued operation that applies, if any.
func (m *model) queuedOp() string {
	for len(m.queue) > 0 {
		name := m.queue[0]
		m.queue = m.queue[1:]
		i := slices.IndexFunc(modelOps, func(o op) bool { return o.name == name })
		if what := modelOps[i].do(m); what != "" {
			m.ops[name]++
			return "queued " + name + ": " + what
		}
	}
	return ""
}

// Vocabulary. Tags and parties come in several spellings of one name.
var (
	titleWords = []string{"Nokia", "Microsoft", "deal", "sale", "Windows", "Phone", "cloud", "&", "<b>", "patents", "\"quoted\"", "Élan"}
	tagNames   = []string{"Cloud", "cloud", "CLOUD", "Windows Phone", "windows phone", "Acquisition", "C", "C++", "C#", "Patents"}
	partyNames = []string{"Nokia", "nokia", "Microsoft", "Intel", "AT&T"}
	fileNames  = []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "2011-02-11-lambda", "2013-09-03-mu", "nu", "xi", "omicron", "pi"}
	folders    = []string{"", "2011", "deals", "deals/old", "archive", "misc"}
	slugs      = []string{"", "", "", "custom-one", "custom-two", "nokia-deal"}
)

func (m *model) pick(list []string) string { return list[m.r.IntN(len(list))] }

func (m *model) randomDate() string {
	y := 2010 + m.r.IntN(5)
	switch m.r.IntN(4) {
	case 0:
		return strconv.Itoa(y)
	case 1:
		return fmt.Sprintf("%d-%02d", y, 1+m.r.IntN(12))
	}
	return fmt.Sprintf("%d-%02d-%02d", y, 1+m.r.IntN(12), 1+m.r.IntN(28))
}

// endAfter is a date not before start, or now and then one before it:
// an error.
func (m *model) endAfter(start string) string {
	y, _ := strconv.Atoi(start[:4])
	if m.r.IntN(12) == 0 {
		return strconv.Itoa(y - 1)
	}
	if m.r.IntN(2) == 0 {
		return strconv.Itoa(y + 1 + m.r.IntN(2))
	}
	return fmt.Sprintf("%d-%02d-%02d", y+1+m.r.IntN(2), 1+m.r.IntN(12), 1+m.r.IntN(28))
}

func (m *model) randomTitle() string {
	n := 1 + m.r.IntN(3)
	words := make([]string, n)
	for i := range words {
		words[i] = m.pick(titleWords)
	}
	return strings.Join(words, " ")
}

func (m *model) some(list []string, most int) []string {
	var out []string
	for range m.r.IntN(most + 1) {
		out = append(out, m.pick(list))
	}
	return out
}

func (m *model) randomArticle() *modelArticle {
	a := &modelArticle{title: m.randomTitle(), date: m.randomDate(), tags: m.some(tagNames, 3), parties: m.some(partyNames, 2)}
	if m.r.IntN(4) == 0 {
		a.end = m.endAfter(a.date)
	}
	a.body = m.randomBody()
	return a
}

func (m *model) randomBody() string {
	parts := []string{"It was " + m.randomTitle() + "."}
	for range m.r.IntN(4) {
		switch m.r.IntN(4) {
		case 0:
			parts = append(parts, "## "+m.randomTitle())
		case 1:
			parts = append(parts, "Some *more* text about "+m.randomTitle()+".")
		case 2:
			parts = append(parts, "Raw <span class=\"raw\">HTML</span>, kept only with unsafe_html.")
		default:
			parts = append(parts, "- a list\n- of things")
		}
	}
	return strings.Join(parts, "\n\n")
}

// endsEarly reports an end date before the date: an error.
func (a *modelArticle) endsEarly() bool { return a.end != "" && a.end[:4] < a.date[:4] }

// source is an article file's text.
func (a *modelArticle) source() string {
	if a.broken != "" {
		return a.broken
	}
	var b strings.Builder
	b.WriteString("---\ntitle: " + strconv.Quote(a.title) + "\ndate: " + a.date + "\n")
	if a.end != "" {
		b.WriteString("end_date: " + a.end + "\n")
	}
	if a.weight != 0 {
		b.WriteString("weight: " + strconv.Itoa(a.weight) + "\n")
	}
	list := func(key string, items []string) {
		if len(items) == 0 {
			return
		}
		q := make([]string, len(items))
		for i, s := range items {
			q[i] = strconv.Quote(s)
		}
		b.WriteString(key + ": [" + strings.Join(q, ", ") + "]\n")
	}
	list("tags", a.tags)
	list("parties", a.parties)
	if a.summary != "" {
		b.WriteString("summary: " + strconv.Quote(a.summary) + "\n")
	}
	if a.value != "" {
		b.WriteString("value: " + strconv.Quote(a.value) + "\n")
	}
	if a.slug != "" {
		b.WriteString("slug: " + a.slug + "\n")
	}
	if a.draft {
		b.WriteString("draft: true\n")
	}
	b.WriteString(a.leadSource())
	b.WriteString("---\n" + a.body + "\n")
	b.WriteString(a.picturesSource())
	for _, l := range a.links {
		b.WriteString("\nSee [" + l + "](" + l + ").\n")
	}
	return b.String()
}

// Writing files. Every save changes the file's bytes (a save of the
// same bytes is the no-op save operation's business).

func (m *model) full(rel string) string { return filepath.Join(m.dir, filepath.FromSlash(rel)) }

// put saves a file as some editor would (see saveStyles).
func (m *model) put(rel, data string) {
	m.saves++
	full := m.full(rel)
	if old, err := os.ReadFile(full); err == nil && string(old) == data {
		m.t.Fatalf("model: saving %s unchanged", rel)
	}
	m.save(full, data)
}

// save writes data to full in one of the editors' ways, creating its
// folder. The ways that move the old file aside leave a moment in which
// the file is missing: a watcher may build that state, so such a save
// counts as two.
func (m *model) save(full, data string) {
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		m.t.Fatal(err)
	}
	style := saveStyles[m.r.IntN(len(saveStyles))]
	_, err := os.Lstat(full)
	exists := err == nil
	if style.movesAside && exists {
		m.saves++
	}
	style.save(m, full, data, exists)
}

// A saveStyle is one editor's way of saving a file.
type saveStyle struct {
	name       string
	movesAside bool // the file is missing for a moment
	save       func(m *model, full, data string, exists bool)
}

// saveStyles are the ways editors save, as the watcher must take them:
// in place (VS Code, nano), a dot-file renamed over the old one, vim
// (the 4913 probe, the file renamed to file~, kept now and then as with
// 'backup'), JetBrains' safe write (___jb_tmp___, ___jb_old___), sed -i
// (sedXXXXXX renamed over) and emacs (a .#file lock link, a file~
// backup made by renaming, which it keeps).
var saveStyles = []saveStyle{
	{"in place", false, func(m *model, full, data string, _ bool) { m.write(full, data) }},
	{"dot-file renamed over", false, func(m *model, full, data string, _ bool) {
		tmp := filepath.Join(filepath.Dir(full), "."+filepath.Base(full)+".tmp")
		m.write(tmp, data)
		m.move(tmp, full)
	}},
	{"vim", true, func(m *model, full, data string, exists bool) {
		probe := filepath.Join(filepath.Dir(full), "4913")
		m.write(probe, "")
		m.gone(probe)
		if !exists {
			m.write(full, data)
			return
		}
		m.move(full, full+"~")
		m.write(full, data)
		if m.r.IntN(3) != 0 {
			m.gone(full + "~")
		}
	}},
	{"jetbrains", true, func(m *model, full, data string, exists bool) {
		m.write(full+"___jb_tmp___", data)
		if exists {
			m.move(full, full+"___jb_old___")
		}
		m.move(full+"___jb_tmp___", full)
		if exists {
			m.gone(full + "___jb_old___")
		}
	}},
	{"sed -i", false, func(m *model, full, data string, _ bool) {
		const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		name := []byte("sed")
		for range 6 {
			name = append(name, letters[m.r.IntN(len(letters))])
		}
		tmp := filepath.Join(filepath.Dir(full), string(name))
		m.write(tmp, data)
		m.move(tmp, full)
	}},
	{"emacs", true, func(m *model, full, data string, exists bool) {
		lock := filepath.Join(filepath.Dir(full), ".#"+filepath.Base(full))
		if err := os.Symlink("editor@host.4242:1700000000", lock); err != nil {
			m.t.Fatal(err)
		}
		if exists {
			m.move(full, full+"~")
		}
		m.write(full, data)
		m.gone(lock)
	}},
}

func (m *model) write(full, data string) {
	if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

func (m *model) move(from, to string) {
	if err := os.Rename(from, to); err != nil {
		m.t.Fatal(err)
	}
}

func (m *model) gone(full string) {
	if err := os.Remove(full); err != nil {
		m.t.Fatal(err)
	}
}

// remove deletes a file or a folder, which is one save per file in it:
// a watcher may see some of them gone before the others.
func (m *model) remove(rel string) {
	_ = filepath.WalkDir(m.full(rel), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			m.saves++
		}
		return nil
	})
	if err := os.RemoveAll(m.full(rel)); err != nil {
		m.t.Fatal(err)
	}
}

func (m *model) rename(from, to string) {
	m.saves++
	if err := os.MkdirAll(filepath.Dir(m.full(to)), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.Rename(m.full(from), m.full(to)); err != nil {
		m.t.Fatal(err)
	}
}

// writeArticle saves an article's file, or the file its link leads to.
func (m *model) writeArticle(p string) {
	a := m.articles[p]
	if a.target != "" {
		p, a.dangling = a.target, false
	}
	src := a.source()
	if old, err := os.ReadFile(m.full(p)); err == nil && string(old) == src {
		a.body += "\n\nEdited once more."
		src = a.source()
	}
	m.put(p, src)
}

// Choosing articles.

func (m *model) paths() []string { return slices.Sorted(maps.Keys(m.articles)) }

// anyArticle picks an article, most of the time not one of a bulk
// checkout's, which would otherwise crowd out the others.
func (m *model) anyArticle() (string, *modelArticle) {
	ps := m.paths()
	if few := slices.DeleteFunc(slices.Clone(ps), func(p string) bool { return m.articles[p].bulk }); len(few) > 0 && m.r.IntN(4) != 0 {
		ps = few
	}
	if len(ps) == 0 {
		return "", nil
	}
	p := ps[m.r.IntN(len(ps))]
	return p, m.articles[p]
}

// freshPath is a new article path in folder (random when ""), with a
// file name no other article has, save now and then, which makes two
// articles want one slug: an error.
func (m *model) freshPath(folder string) string {
	for {
		dir := folder
		if dir == "" {
			dir = m.pick(folders)
		}
		name := m.pick(fileNames)
		if m.r.IntN(3) == 0 {
			name += "-" + strconv.Itoa(m.r.IntN(100))
		}
		p := path.Join("content", dir, name+".md")
		if _, taken := m.articles[p]; taken {
			continue
		}
		if m.r.IntN(20) != 0 && slices.ContainsFunc(m.paths(), func(q string) bool { return strings.EqualFold(path.Base(q), name+".md") }) {
			continue
		}
		return p
	}
}

// edit changes one article through f and saves it; a broken file is
// mended by any edit.
func (m *model) edit(f func(a *modelArticle) string) string {
	p, a := m.anyArticle()
	if a == nil {
		return ""
	}
	what := f(a)
	a.broken = ""
	m.writeArticle(p)
	return p + ": " + what
}

func (m *model) addArticle() string {
	p := m.freshPath("")
	a := m.randomArticle()
	if m.r.IntN(4) == 0 { // a link to a neighbour in the same folder
		for _, q := range m.paths() {
			if path.Dir(q) == path.Dir(p) {
				a.links = append(a.links, path.Base(q))
				break
			}
		}
	}
	m.articles[p] = a
	m.writeArticle(p)
	return fmt.Sprintf("%s %q on %s, tags %q", p, a.title, a.date, a.tags)
}

func (m *model) editBody() string {
	return m.edit(func(a *modelArticle) string {
		a.body = m.randomBody()
		if len(a.links) > 0 && m.r.IntN(2) == 0 {
			a.links = nil
			return "new text, links dropped"
		}
		return "new text"
	})
}

func (m *model) editTitle() string {
	return m.edit(func(a *modelArticle) string { a.title = m.randomTitle(); return strconv.Quote(a.title) })
}

func (m *model) changeDate() string {
	return m.edit(func(a *modelArticle) string {
		a.date = m.randomDate()
		if a.end != "" || m.r.IntN(3) == 0 {
			a.end = ""
			if m.r.IntN(2) == 0 {
				a.end = m.endAfter(a.date)
			}
		}
		return a.date + " to " + a.end
	})
}

func (m *model) changeTags() string {
	return m.edit(func(a *modelArticle) string { a.tags = m.some(tagNames, 3); return fmt.Sprintf("%q", a.tags) })
}

// respellTag changes the spelling of one tag wherever it is written, as
// an editor renaming a tag across the site would, one file at a time.
func (m *model) respellTag() string {
	from, to := m.pick(tagNames), m.pick(tagNames)
	if !strings.EqualFold(from, to) || from == to {
		return ""
	}
	var changed []string
	for _, p := range m.paths() {
		a := m.articles[p]
		if i := slices.Index(a.tags, from); i >= 0 && a.broken == "" {
			a.tags[i] = to
			m.writeArticle(p)
			changed = append(changed, p)
		}
	}
	if len(changed) == 0 {
		return ""
	}
	return fmt.Sprintf("%q to %q in %s", from, to, strings.Join(changed, ", "))
}

func (m *model) changeParties() string {
	return m.edit(func(a *modelArticle) string { a.parties = m.some(partyNames, 2); return fmt.Sprintf("%q", a.parties) })
}

func (m *model) toggleDraft() string {
	return m.edit(func(a *modelArticle) string { a.draft = !a.draft; return "draft " + strconv.FormatBool(a.draft) })
}

func (m *model) changeWeight() string {
	return m.edit(func(a *modelArticle) string { a.weight = m.r.IntN(4) - 1; return strconv.Itoa(a.weight) })
}

func (m *model) changeSlug() string {
	return m.edit(func(a *modelArticle) string { a.slug = m.pick(slugs); return strconv.Quote(a.slug) })
}

func (m *model) changeSummary() string {
	return m.edit(func(a *modelArticle) string {
		if m.r.IntN(2) == 0 {
			a.summary = m.pick([]string{"", "In short: " + m.randomTitle()})
			return "summary " + strconv.Quote(a.summary)
		}
		a.value = m.pick([]string{"", "$7.2 billion", "undisclosed", "€5.4 billion"})
		return "value " + strconv.Quote(a.value)
	})
}

// dropLinksTo removes, most of the time, the links to a file that is
// going away from the articles beside it, saving them: otherwise the
// site stays invalid until a body edit drops them.
func (m *model) dropLinksTo(p string) {
	if m.r.IntN(4) == 0 {
		return
	}
	for _, q := range m.paths() {
		a := m.articles[q]
		if path.Dir(q) == path.Dir(p) && slices.Contains(a.links, path.Base(p)) {
			a.links = slices.DeleteFunc(a.links, func(l string) bool { return l == path.Base(p) })
			if a.broken == "" {
				m.writeArticle(q)
			}
		}
	}
}

func (m *model) renameArticle() string {
	from, a := m.anyArticle()
	if a == nil {
		return ""
	}
	folder := path.Dir(strings.TrimPrefix(from, "content/"))
	if m.r.IntN(2) == 0 && a.target == "" { // a link stays where its relative target holds
		folder = m.pick(folders)
	}
	if folder == "." || folder == "" {
		folder = "."
	}
	to := m.freshPath(folder)
	m.dropLinksTo(from)
	m.rename(from, to)
	delete(m.articles, from)
	m.articles[to] = a
	return from + " to " + to
}

func (m *model) deleteArticle() string {
	p, a := m.anyArticle()
	if a == nil {
		return ""
	}
	m.dropLinksTo(p)
	m.remove(p)
	delete(m.articles, p)
	return p
}

// articleFolders lists the folders under content/ that hold articles.
func (m *model) articleFolders() []string {
	var dirs []string
	for _, p := range m.paths() {
		if d := path.Dir(p); d != "content" && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

func (m *model) renameFolder() string {
	dirs := m.articleFolders()
	if len(dirs) == 0 {
		return ""
	}
	from := dirs[m.r.IntN(len(dirs))]
	to := path.Join("content", m.pick(folders))
	if to == "content" || from == linkedDir || to == from || strings.HasPrefix(to+"/", from+"/") || strings.HasPrefix(from+"/", to+"/") {
		return ""
	}
	for _, p := range m.paths() {
		if strings.HasPrefix(p, to+"/") {
			return "" // the target holds articles
		}
	}
	os.RemoveAll(m.full(to)) // an empty folder left by a deletion
	m.rename(from, to)
	for _, p := range m.paths() {
		if rest, ok := strings.CutPrefix(p, from+"/"); ok {
			m.articles[to+"/"+rest] = m.articles[p]
			delete(m.articles, p)
		}
	}
	return from + " to " + to
}

func (m *model) deleteFolder() string {
	dirs := m.articleFolders()
	if len(dirs) == 0 {
		return ""
	}
	dir := dirs[m.r.IntN(len(dirs))]
	m.remove(dir)
	for _, p := range m.paths() {
		if strings.HasPrefix(p, dir+"/") {
			delete(m.articles, p)
		}
	}
	return dir
}

// breakArticle saves an article with an error in it; the next edit of
// that article mends it.
func (m *model) breakArticle() string {
	p, a := m.anyArticle()
	if a == nil || a.broken != "" {
		return ""
	}
	bad := []string{
		"---\ntitle: " + strconv.Quote(a.title) + "\ndate: 2011-13-45\n---\nBad date.\n",
		"---\ntitle: " + strconv.Quote(a.title) + "\ndate: " + a.date + "\ntittle: typo\n---\nUnknown field.\n",
		"---\ntitle: [unclosed\n---\nBroken YAML.\n",
		"---\ntitle: " + strconv.Quote(a.title) + "\ndate: " + a.date + "\n---\nA link to [nowhere](missing.md).\n",
	}
	a.broken = m.pick(bad)
	m.writeArticle(p)
	return p
}

// Site settings and eras.

func (m *model) writeSettings(mayBreak bool) {
	var b strings.Builder
	b.WriteString("---\ntitle: " + strconv.Quote(m.pick([]string{"Deals", "A deal history", "Nokia & Microsoft"})) + "\n")
	if m.r.IntN(2) == 0 {
		b.WriteString("description: " + strconv.Quote("About "+m.randomTitle()) + "\n")
	}
	if m.r.IntN(2) == 0 {
		b.WriteString("author: " + strconv.Quote(m.pick([]string{"The editors", "Ann"})) + "\n")
	}
	b.WriteString("language: " + m.pick([]string{"en", "fr"}) + "\n")
	m.badSettings = false
	switch {
	case mayBreak && m.r.IntN(10) == 0:
		b.WriteString("titel: typo\n") // an error
		m.badSettings = true
	case mayBreak && m.r.IntN(10) == 0: // no base URL: an error for watch, not serve
		m.badSettings = true
	default:
		b.WriteString("base_url: " + m.pick([]string{"https://example.org/", "https://example.org/deals/"}) + "\n")
	}
	if n := m.r.IntN(3); n > 0 {
		b.WriteString("eras:\n")
		for range n {
			start := m.randomDate()
			end := m.endAfter(start)
			if !mayBreak {
				end = start
			}
			m.badSettings = m.badSettings || end[:4] < start[:4]
			fmt.Fprintf(&b, "  - title: %q\n    start: %s\n    end: %s\n", m.pick([]string{"The bet", "Cloud years", "Early days"}), start, end)
		}
	}
	if m.r.IntN(4) == 0 {
		b.WriteString("unsafe_html: true\n") // raw HTML in bodies is kept
	}
	b.WriteString("---\nWelcome to " + m.randomTitle() + ".\n")
	m.introLink = ""
	for _, p := range m.paths() {
		if path.Dir(p) == "content" && m.r.IntN(3) == 0 {
			m.introLink = p
			b.WriteString("\nStart with [the first deal](" + path.Base(p) + ").\n")
			break
		}
	}
	src := b.String()
	if src == m.settings {
		src += "\nAgain.\n"
	}
	m.settings = src
	m.put("content/_index.md", src)
}

func (m *model) changeSettings() string {
	m.writeSettings(true)
	return strings.ReplaceAll(strings.TrimSpace(m.settings), "\n", " | ")
}

// Layout overrides: templates printing what the default theme does not
// (site-wide counts, neighbours, a year's and a term's articles), a few
// broken ones, and a page template no page uses.
var layoutPool = map[string][]string{
	"layouts/partials/chrome.html": {
		`{{define "site-head"}}<link rel="stylesheet" href="{{.Site.BasePath}}css/style.css">{{end}}
{{define "site-header"}}<header>{{.Site.Title}}: {{len .Site.Articles}} events in {{len .Site.Years}} years;{{range .Site.Tags}} {{.Name}}={{len .Articles}}{{end}}</header>{{end}}
{{define "site-footer"}}<footer>{{range .Site.Eras}}{{.Title}} {{len .Articles}} {{end}}{{.Site.Intro}}{{with .Site.Author}}{{.}}{{end}}</footer>{{end}}`,
		`{{define "site-head"}}{{end}}{{define "site-header"}}{{range .Site.Parties}}{{.Name}} {{len .Articles}}; {{end}}{{end}}{{define "site-footer"}}{{with .Site.Articles}}last: {{(index . 0).Title}}{{end}}{{end}}`,
	},
	"layouts/partials/event.html": {
		`{{define "event"}}<article>{{.Title}} ({{.WhenText}}){{with .Prev}} after {{.Title}}{{end}}{{with .Next}} before {{.Title}}{{end}} of {{len .Year.Articles}} in {{.Year.Year}}{{with .Era}} in {{.Title}} of {{len .Articles}}{{end}} words {{.Words}}{{range .Related}} see {{.Title}}{{end}}</article>{{end}}
{{define "facts"}}{{range .Tags}}{{.Name}} {{len .Articles}} {{end}}{{range .Parties}}{{.Name}} {{end}}{{.Value}}{{end}}
{{define "years"}}{{range .}}<h2>{{.Year}} ({{len .Articles}})</h2>{{range .Articles}}{{event .}}{{end}}{{end}}{{end}}
{{define "term-list"}}{{range .}}{{.Name}} {{len .Articles}} {{end}}{{end}}`,
		`{{define "event"}}{{.Title}}{{facts .}}{{end}}{{define "facts"}}{{.Summary}}{{end}}{{define "years"}}{{range .}}{{range .Articles}}{{event .}}{{end}}{{end}}{{end}}{{define "term-list"}}{{end}}`,
	},
	"layouts/article.html": {
		`{{template "base" .}}{{define "main"}}{{with .Article}}<h1>{{.Title}}</h1>{{.Body}}{{range .Tags}} {{.Name}}: {{len .Articles}}{{end}}{{with .Prev}} prev {{.Title}} {{.Summary}}{{end}}{{with .Next}} next {{.Title}} {{.Body}}{{end}} year {{len .Year.Articles}}{{with .Year.Next}} next year {{.Year}}{{end}}{{end}} of {{len .Site.Articles}}{{end}}`,
		`{{template "base" .}}{{define "main"}}{{.Article.Title}}{{range .Site.Articles}} {{.Title}}{{end}}{{end}}`,
	},
	"layouts/year.html": {
		`{{template "base" .}}{{define "main"}}{{with .Year}}{{.Year}}:{{range .Articles}} {{event .}}{{end}}{{with .Next}} then {{.Year}} with {{len .Articles}}{{end}}{{end}} of {{len .Site.Years}}{{end}}`,
	},
	"layouts/term.html": {
		`{{template "base" .}}{{define "main"}}{{with .Term}}{{.Name}} {{len .Articles}}{{range .Articles}} {{.Title}} {{.Summary}}{{end}}{{end}}; all:{{range .Site.Parties}} {{.Name}}{{end}}{{end}}`,
	},
	"layouts/404.html": {
		`{{template "base" .}}{{define "main"}}Lost. Try{{range .Site.Articles}} {{.Title}},{{end}}{{end}}`,
	},
	"layouts/index.html": {
		`{{template "base" .}}{{define "main"}}{{.Site.Intro}}{{range .Site.Articles}}{{.Title}} {{.Words}} {{with .Next}}{{.Title}}{{end}}; {{end}}{{end}}`,
	},
	"layouts/base.html": {
		`{{define "base"}}<!DOCTYPE html><html><head><title>{{.Title}}</title></head><body>{{chrome "site-header" .Kind}}{{block "main" .}}{{end}}<p>{{len .Site.Articles}} / {{.Site.Author}}</p></body></html>{{end}}`,
	},
}

// badLayouts fail the build: when run, when parsed, or as a file no page
// uses.
var badLayouts = map[string]string{
	"layouts/partials/event.html": `{{define "event"}}{{.Title}} {{.Nope}}{{end}}{{define "facts"}}{{end}}{{define "years"}}{{range .}}{{range .Articles}}{{event .}}{{end}}{{end}}{{end}}{{define "term-list"}}{{end}}`,
	"layouts/year.html":           `{{template "base" .}}{{define "main"}}{{.Year.Nope}}{{end}}`,
	"layouts/base.html":           `{{define "base"}}{{if}}{{end}}`,
	"layouts/artcle.html":         `{{define "main"}}misspelt{{end}}`,
}

func (m *model) putLayout() string {
	var name, text string
	if m.r.IntN(8) == 0 {
		name = m.pick(slices.Sorted(maps.Keys(badLayouts)))
		text = badLayouts[name]
	} else {
		name = m.pick(slices.Sorted(maps.Keys(layoutPool)))
		text = m.pick(layoutPool[name])
	}
	if m.layouts[name] == text {
		text += "\n<!-- again -->"
	}
	m.layouts[name] = text
	m.put(name, text)
	return name + ": " + strings.ReplaceAll(text, "\n", " ")
}

func (m *model) removeLayout() string {
	names := slices.Sorted(maps.Keys(m.layouts))
	if len(names) == 0 {
		return ""
	}
	name := m.pick(names)
	m.remove(name)
	delete(m.layouts, name)
	return name
}

func (m *model) removeLayouts() string {
	if len(m.layouts) == 0 {
		return ""
	}
	m.remove("layouts")
	clear(m.layouts)
	return "layouts/"
}

// Static files and folders; robots.txt and the theme's style sheet are
// overridden, and a file in the place of a generated page is an error.
var staticPool = []string{"static/hello.txt", "static/css/extra.css", "static/css/style.css", "static/docs/a.txt", "static/docs/deep/b.txt", "static/robots.txt", "static/favicon.svg", "static/img/logo.svg"}

// staticClash is a static file in the place of a generated page.
const staticClash = "static/tags/index.html"

func (m *model) putStatic() string {
	p := m.pick(staticPool)
	if m.r.IntN(12) == 0 {
		p = staticClash
	}
	data := fmt.Sprintf("%s version %d\n", path.Base(p), m.r.IntN(1000))
	if m.static[p] == data {
		data += "again\n"
	}
	m.static[p] = data
	m.put(p, data)
	return p
}

func (m *model) removeStatic() string {
	ps := slices.Sorted(maps.Keys(m.static))
	if len(ps) == 0 {
		return ""
	}
	p := m.pick(ps)
	m.remove(p)
	delete(m.static, p)
	return p
}

func (m *model) putStaticFolder() string {
	dir := m.pick([]string{"static/docs", "static/img", "static/files/more"})
	for _, name := range []string{"one.txt", "two.txt"} {
		p := dir + "/" + name
		data := fmt.Sprintf("%s in %s, %d\n", name, dir, m.r.IntN(1000))
		if m.static[p] == data {
			data += "again\n"
		}
		m.static[p] = data
		m.put(p, data)
	}
	return dir + "/{one,two}.txt"
}

func (m *model) removeStaticFolder() string {
	var dirs []string
	for p := range m.static {
		if d := path.Dir(p); d != "static" && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		return ""
	}
	slices.Sort(dirs)
	dir := m.pick(dirs)
	m.remove(dir)
	for p := range m.static {
		if strings.HasPrefix(p, dir+"/") {
			delete(m.static, p)
		}
	}
	return dir + "/"
}

// mend undoes one of the errors the other operations make on purpose:
// without it a site would stay invalid for long stretches.
func (m *model) mend() string {
	for _, name := range slices.Sorted(maps.Keys(badLayouts)) {
		if m.layouts[name] == badLayouts[name] {
			m.remove(name)
			delete(m.layouts, name)
			return "removed " + name
		}
	}
	if _, ok := m.articles[m.introLink]; m.badSettings || (m.introLink != "" && !ok) {
		m.writeSettings(false)
		return "rewrote the settings without errors"
	}
	if _, ok := m.static[staticClash]; ok {
		m.remove(staticClash)
		delete(m.static, staticClash)
		return "removed " + staticClash
	}
	for _, p := range m.paths() {
		if a := m.articles[p]; a.broken != "" || len(a.links) > 0 || a.endsEarly() || a.dangling || m.missingPicture(p, a) {
			a.broken, a.links = "", nil
			if m.missingPicture(p, a) {
				a.pictures, a.lead = nil, ""
			}
			if a.endsEarly() {
				a.end = ""
			}
			m.writeArticle(p)
			return "rewrote " + p + " without errors or links"
		}
	}
	return ""
}

// flipStatic turns static/about from a file into a folder holding
// index.html, or back.
func (m *model) flipStatic() string {
	const file, inFolder = "static/about", "static/about/index.html"
	if _, ok := m.static[file]; ok {
		m.remove(file)
		delete(m.static, file)
		m.static[inFolder] = "<p>About, a folder</p>\n"
		m.put(inFolder, m.static[inFolder])
		return file + " becomes a folder"
	}
	m.remove("static/about")
	delete(m.static, inFolder)
	m.static[file] = "About, a file\n"
	m.put(file, m.static[file])
	return inFolder + " becomes a file"
}
