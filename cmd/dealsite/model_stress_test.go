package main_test

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The operations of TestModel that stress an incremental engine: several
// edits before watch settles, edits while it rebuilds, a template change
// next to content edits, a bulk checkout large enough to page the lists
// and moves across their pages, a term renamed in every article, saves
// that change no byte, a file deleted and re-created at once, articles
// that are symbolic links, and the static files watch cannot see.

// stressOps combine the single operations of modelOps; they are never
// run inside one another.
var stressOps = []op{
	{"burst", 6, (*model).burst},
	{"edit during a rebuild", 5, (*model).editDuringRebuild},
	{"layout, then content", 3, (*model).layoutThenContent},
	{"content, then revert the layout", 2, (*model).contentThenRevert},
	{"no-op save", 4, (*model).noopSave},
	{"dot-folder static file", 1, (*model).dotFolderStatic},
}

// burst applies two to five operations without waiting for watch or
// serve in between: several files change before either settles.
func (m *model) burst() string {
	var whats []string
	for range 2 + m.r.IntN(4) {
		whats = append(whats, m.randomOp(modelOps))
	}
	return strings.Join(whats, "; then ")
}

// editDuringRebuild applies an operation, waits until watch or serve
// reports the batch and starts rebuilding, and applies one or two more
// at once or a few milliseconds later: they land while the first is
// being read, rendered or written. If the rebuild is not seen starting
// within the deadline the others are applied anyway (the step is still
// checked; only the timing is lost).
func (m *model) editDuringRebuild() string {
	if len(m.procs) == 0 {
		return ""
	}
	i := m.r.IntN(len(m.procs))
	p := m.procs[i]
	before := p.count(batchLine)
	first := m.randomOp(modelOps)
	seen := "while " + []string{"watch", "serve"}[i] + " rebuilds"
	deadline := time.Now().Add(20 * time.Second)
	for p.count(batchLine) == before {
		if time.Now().After(deadline) {
			seen = "(no rebuild seen starting)"
			break
		}
		time.Sleep(time.Millisecond)
	}
	if d := time.Duration(m.r.IntN(4)) * 10 * time.Millisecond; d > 0 {
		time.Sleep(d)
		seen += fmt.Sprintf(", %s later", d)
	}
	then := []string{m.randomOp(modelOps)}
	if m.r.IntN(3) == 0 {
		then = append(then, m.randomOp(modelOps))
	}
	return first + "; " + seen + ": " + strings.Join(then, "; then ")
}

// contentOps are the article edits that the template ops queue.
var contentOps = []string{"add article", "edit body", "edit title", "change date", "change tags", "delete article", "rename article", "move in a paged list"}

// layoutThenContent overrides a layout (a valid one), then edits
// articles in the next steps, each checked against the new layout.
func (m *model) layoutThenContent() string {
	name := m.pick(slices.Sorted(maps.Keys(layoutPool)))
	text := m.pick(layoutPool[name])
	if m.layouts[name] == text {
		text += "\n<!-- again -->"
	}
	m.layouts[name] = text
	m.put(name, text)
	m.queueContent(1 + m.r.IntN(3))
	return name + ": " + strings.ReplaceAll(text, "\n", " ") + fmt.Sprintf("; queued %q", m.queue)
}

// contentThenRevert edits an article now and more in the next steps,
// then removes a layout override: the pages made with it go back to the
// theme's.
func (m *model) contentThenRevert() string {
	if len(m.layouts) == 0 {
		return ""
	}
	m.queueContent(m.r.IntN(3))
	m.queue = append(m.queue, "remove layout")
	return m.randomContentOp() + fmt.Sprintf("; queued %q", m.queue)
}

func (m *model) queueContent(n int) {
	for range n {
		m.queue = append(m.queue, m.pick(contentOps))
	}
}

// randomContentOp applies one of contentOps that applies.
func (m *model) randomContentOp() string {
	for {
		name := m.pick(contentOps)
		i := slices.IndexFunc(modelOps, func(o op) bool { return o.name == name })
		if what := modelOps[i].do(m); what != "" {
			m.ops[name]++
			return name + ": " + what
		}
	}
}

// noopSave saves one to three files without changing a byte: a touch,
// the same bytes saved as an editor would, or the file deleted and
// written again at once. Nothing is due: the output must stay as it is.
func (m *model) noopSave() string {
	files := m.sourceFiles()
	if len(files) == 0 {
		return ""
	}
	var whats []string
	for range 1 + m.r.IntN(3) {
		rel := m.pick(files)
		full := m.full(rel)
		data, err := os.ReadFile(full)
		if err != nil {
			m.t.Fatal(err)
		}
		switch m.r.IntN(3) {
		case 0:
			later := time.Now().Add(time.Duration(1+m.r.IntN(5)) * time.Second)
			if err := os.Chtimes(full, later, later); err != nil {
				m.t.Fatal(err)
			}
			whats = append(whats, "touched "+rel)
		case 1:
			m.save(full, string(data))
			whats = append(whats, "saved "+rel+" unchanged")
		default:
			m.gone(full)
			m.write(full, string(data))
			whats = append(whats, "deleted and re-created "+rel+" unchanged")
		}
	}
	m.noop = true
	return strings.Join(whats, ", ")
}

// sourceFiles lists the regular files the model wrote, by path relative
// to the site: a linked article's target rather than its link.
func (m *model) sourceFiles() []string {
	var files []string
	for p, a := range m.articles {
		switch {
		case a.dangling:
		case a.target != "":
			files = append(files, a.target)
		default:
			files = append(files, p)
		}
	}
	files = append(files, "content/_index.md")
	files = slices.AppendSeq(files, maps.Keys(m.layouts))
	files = slices.AppendSeq(files, maps.Keys(m.static))
	files = slices.AppendSeq(files, maps.Keys(m.dotStatic))
	slices.Sort(files)
	return files
}

// deleteAndRecreate deletes an article's file and writes it again at
// once, with an edit: a watcher may see it gone, or never notice.
func (m *model) deleteAndRecreate() string {
	p, a := m.anyArticle()
	if a == nil || a.dangling {
		return ""
	}
	m.remove(p)
	if a.target != "" {
		m.link(p, a.target)
	}
	a.broken = ""
	a.body = m.randomBody()
	m.writeArticle(p)
	return p
}

// Bulk checkouts and paged lists. The binary pages its lists at 100
// events and has no flag for smaller limits, so a checkout of 105
// articles in one year, all tagged Bulk, pages that year, the tag and
// the home page.

const bulkDir = "content/bulk"

// bulkCheckout writes 105 articles at once, as a git checkout would.
func (m *model) bulkCheckout() string {
	for p := range m.articles {
		if m.articles[p].bulk {
			return "" // one at a time
		}
	}
	year := 2010 + m.r.IntN(5)
	for i := range 105 {
		p := fmt.Sprintf("%s/b%03d.md", bulkDir, i)
		a := &modelArticle{
			title: fmt.Sprintf("Bulk %s %d", m.randomTitle(), i), date: fmt.Sprintf("%d-%02d-%02d", year, 1+m.r.IntN(12), 1+m.r.IntN(28)),
			tags: []string{"Bulk"}, parties: m.some(partyNames, 1), body: "Bulk text " + strconv.Itoa(i) + ".", bulk: true,
		}
		if m.r.IntN(3) == 0 {
			a.tags = append(a.tags, m.pick(tagNames))
		}
		m.articles[p] = a
		m.writeArticle(p)
	}
	return fmt.Sprintf("105 articles in %s/, all in %d, tagged Bulk", bulkDir, year)
}

// moveInPagedList changes the date or title of a bulk article, which
// moves it to another page of its year and tag, or to another year.
func (m *model) moveInPagedList() string {
	var bulk []string
	for _, p := range m.paths() {
		if a := m.articles[p]; a.bulk && a.broken == "" {
			bulk = append(bulk, p)
		}
	}
	if len(bulk) == 0 {
		return ""
	}
	p := m.pick(bulk)
	a := m.articles[p]
	what := ""
	switch m.r.IntN(4) {
	case 0:
		a.title = m.randomTitle()
		what = "title " + strconv.Quote(a.title)
	case 1:
		a.date = m.randomDate()
		what = "date " + a.date
	default: // the same year, another day
		a.date = fmt.Sprintf("%s-%02d-%02d", a.date[:4], 1+m.r.IntN(12), 1+m.r.IntN(28))
		what = "date " + a.date
	}
	m.writeArticle(p)
	return p + ": " + what
}

// renameTerm renames a tag or a party in every article that has it, one
// file at a time, to another name or a new one, or removes it
// everywhere.
func (m *model) renameTerm() string {
	isTag := m.r.IntN(3) != 0
	terms := func(a *modelArticle) *[]string {
		if isTag {
			return &a.tags
		}
		return &a.parties
	}
	var used []string
	for _, p := range m.paths() {
		if a := m.articles[p]; a.broken == "" {
			used = append(used, *terms(a)...)
		}
	}
	if len(used) == 0 {
		return ""
	}
	slices.Sort(used)
	from := m.pick(slices.Compact(used))
	to := ""
	switch m.r.IntN(5) {
	case 0: // removed
	case 1:
		to = fmt.Sprintf("Renamed %d", m.r.IntN(10))
	default:
		to = m.pick(append(slices.Clip(tagNames), partyNames...))
	}
	var changed []string
	for _, p := range m.paths() {
		a := m.articles[p]
		list := terms(a)
		if a.broken != "" || !slices.Contains(*list, from) {
			continue
		}
		*list = slices.DeleteFunc(*list, func(s string) bool { return s == from })
		if to != "" {
			*list = append(*list, to)
		}
		m.writeArticle(p)
		changed = append(changed, p)
	}
	kind := "party"
	if isTag {
		kind = "tag"
	}
	return fmt.Sprintf("%s %q to %q in %d articles", kind, from, to, len(changed))
}

// Articles that are symbolic links to files outside content/ (the
// README allows links inside the site folder): watch follows them.

const linkedDir = "content/linked"

// link makes the article file p a relative symbolic link to target.
func (m *model) link(p, target string) {
	m.saves++
	rel, err := filepath.Rel(filepath.Dir(m.full(p)), m.full(target))
	if err != nil {
		m.t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(m.full(p)), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.Symlink(rel, m.full(p)); err != nil {
		m.t.Fatal(err)
	}
}

// addLinkedArticle writes an article under notes/ and links it into
// content/linked/.
func (m *model) addLinkedArticle() string {
	p := m.freshPath("linked")
	a := m.randomArticle()
	a.target = "notes/" + path.Base(p)
	m.articles[p] = a
	m.writeArticle(p)
	if _, err := os.Lstat(m.full(p)); err != nil {
		m.link(p, a.target)
	}
	return fmt.Sprintf("%s -> %s %q on %s", p, a.target, a.title, a.date)
}

// breakLink deletes a linked article's target, which is an error until
// an edit writes it again.
func (m *model) breakLink() string {
	for _, p := range m.paths() {
		if a := m.articles[p]; a.target != "" && !a.dangling {
			m.remove(a.target)
			a.dangling = true
			return p + " -> " + a.target
		}
	}
	return ""
}

// dotFolderStatic adds, changes or removes a static file under a
// dot-folder, which a build copies but watch does not see, then saves
// another static file, as the README says to: the rebuild that follows
// must show both.
func (m *model) dotFolderStatic() string {
	p := m.pick([]string{"static/.well-known/security.txt", "static/.well-known/deep/x.txt"})
	what := ""
	if _, ok := m.dotStatic[p]; ok && m.r.IntN(3) == 0 {
		m.remove(p)
		delete(m.dotStatic, p)
		what = "removed " + p
	} else {
		data := fmt.Sprintf("%s version %d\n", path.Base(p), m.r.IntN(1000))
		if m.dotStatic[p] == data {
			data += "again\n"
		}
		m.dotStatic[p] = data
		m.put(p, data)
		what = "saved " + p
	}
	const other = "static/hello.txt"
	data := fmt.Sprintf("hello version %d\n", m.r.IntN(1000))
	if m.static[other] == data {
		data += "again\n"
	}
	m.static[other] = data
	m.put(other, data)
	return what + ", then " + other
}

// renameCase renames an article file to the same name in other letter
// case: one file goes and another comes, with the same slug.
func (m *model) renameCase() string {
	from, a := m.anyArticle()
	if a == nil {
		return ""
	}
	name := strings.TrimSuffix(path.Base(from), ".md")
	other := strings.ToLower(name)
	if other == name {
		i := strings.IndexFunc(name, func(r rune) bool { return 'a' <= r && r <= 'z' })
		other = name[:i] + strings.ToUpper(name[i:i+1]) + name[i+1:]
	}
	to := path.Join(path.Dir(from), other+".md")
	if _, taken := m.articles[to]; taken {
		return ""
	}
	m.rename(from, to)
	delete(m.articles, from)
	m.articles[to] = a
	return from + " to " + to
}

// The attic, outside the folders watch watches: folders moved out of the
// site and back. A folder moved in arrives as one event; its files were
// never seen.

const atticDir = "attic"

// moveFolderOut moves a folder of articles, or layouts/, to the attic.
func (m *model) moveFolderOut() string {
	dirs := slices.DeleteFunc(m.articleFolders(), func(d string) bool { return d == linkedDir })
	if len(m.layouts) > 0 {
		dirs = append(dirs, "layouts")
	}
	if len(dirs) == 0 {
		return ""
	}
	dir := m.pick(dirs)
	to := fmt.Sprintf("%s/%d", atticDir, m.r.IntN(1000))
	os.RemoveAll(m.full(to))
	m.rename(dir, to)
	if dir == "layouts" {
		m.atticLayouts[to] = m.layouts
		m.layouts = map[string]string{}
		return dir + " to " + to
	}
	moved := map[string]*modelArticle{}
	for _, p := range m.paths() {
		if rest, ok := strings.CutPrefix(p, dir+"/"); ok {
			moved[rest] = m.articles[p]
			delete(m.articles, p)
		}
	}
	m.attic[to] = moved
	return dir + " to " + to
}

// moveFolderIn moves a folder from the attic back into content/, to a
// folder that holds no articles, or back to layouts/.
func (m *model) moveFolderIn() string {
	from := ""
	if names := slices.Sorted(maps.Keys(m.atticLayouts)); len(names) > 0 && len(m.layouts) == 0 && m.r.IntN(2) == 0 {
		from = m.pick(names)
		os.RemoveAll(m.full("layouts")) // editors' backups, if any
		m.rename(from, "layouts")
		m.layouts = m.atticLayouts[from]
		delete(m.atticLayouts, from)
		return from + " to layouts"
	}
	names := slices.Sorted(maps.Keys(m.attic))
	if len(names) == 0 {
		return ""
	}
	from = m.pick(names)
	to := m.freeFolder(m.attic[from])
	if to == "" {
		return ""
	}
	os.RemoveAll(m.full(to))
	m.rename(from, to)
	for rest, a := range m.attic[from] {
		m.articles[to+"/"+rest] = a
	}
	delete(m.attic, from)
	return from + " to " + to
}

// freeFolder is a folder under content/, picked at random, that holds
// no articles, or "". None when a file of moved has the name of an
// article already there: two articles would want one slug.
func (m *model) freeFolder(moved map[string]*modelArticle) string {
	taken := func(to string) bool {
		for _, p := range m.paths() {
			if strings.HasPrefix(p, to+"/") {
				return true
			}
			for rest := range moved {
				if strings.EqualFold(path.Base(p), path.Base(rest)) {
					return true
				}
			}
		}
		return false
	}
	for _, i := range m.r.Perm(len(folders)) {
		if to := path.Join("content", folders[i]); to != "content" && !taken(to) {
			return to
		}
	}
	return ""
}
