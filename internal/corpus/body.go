package corpus

import (
	"strconv"
	"strings"
)

// body writes about target words of markdown: a lead paragraph, then
// two to five ## sections of paragraphs, lists and the odd table, quote
// or code block, then the footnote definitions.
func (a *article) body(target int) {
	rels := 0
	if a.chance(75) {
		rels = 1 + a.r.IntN(3)
	}
	if a.chance(15) {
		a.maxFootnotes = 1 + a.r.IntN(2)
	}
	a.lead()
	sections := 2 + a.r.IntN(4)
	table, code, quote := a.pick(25, sections), a.pick(3, sections), a.pick(10, sections)
	order := a.r.Perm(len(headings))
	for s := range sections {
		a.line("")
		a.line("## " + headings[order[s]])
		end := a.words + (target-a.words)/(sections-s)
		for first := true; first || a.words < end; first = false {
			a.line("")
			rel := rels > 0 && a.chance(30)
			if rel {
				rels--
			}
			a.paragraph(rel, (end-a.words)/15)
			if end-a.words > 60 && a.chance(20) {
				a.list()
			}
		}
		a.extras(s == table, s == code, s == quote)
	}
	a.seeAlso(rels)
	a.footnoteDefs()
}

// pick returns a section index with the given chance, else -1.
func (a *article) pick(percent, sections int) int {
	if a.chance(percent) {
		return a.r.IntN(sections)
	}
	return -1
}

func (a *article) extras(table, code, quote bool) {
	if table {
		a.table()
	}
	if quote {
		a.line("")
		a.write("> " + a.fill(sentences[a.r.IntN(len(sentences))]))
		a.line("")
		a.line(">")
		a.write("> — a statement by " + a.p.parties[0].name)
		a.line("")
	}
	if code {
		a.line("")
		a.line("```json")
		a.line(`{"acquirer": ` + strconv.Quote(a.p.parties[0].name) + `, "target": ` + strconv.Quote(a.p.other().name) + `, "year": ` + strconv.Itoa(a.p.year) + `}`)
		a.line("```")
	}
}

func (a *article) lead() {
	a.write(a.fill("{A} announced the agreement on {D}."))
	if a.value != "" {
		a.write(" The deal was valued at " + a.value + ".")
	}
	for range 2 + a.r.IntN(3) {
		a.b.WriteByte(' ')
		a.sentence()
	}
	a.line("")
}

// paragraph writes three to six sentences (fewer when room is short),
// some with a link, a code span or a footnote reference.
func (a *article) paragraph(rel bool, room int) {
	n := max(1, min(3+a.r.IntN(4), room))
	for k := range n {
		if k > 0 {
			a.b.WriteByte(' ')
		}
		switch {
		case rel && k == n-1:
			target, text := a.relLink()
			a.write("The deal followed [" + text + "](" + target + ").")
		case a.chance(6):
			a.externalLink()
		case a.chance(2):
			a.write("The filing (`" + codeSpans[a.r.IntN(len(codeSpans))] + "`) gave further details.")
		case len(a.footnotes) < a.maxFootnotes && a.chance(5):
			a.footnotes = append(a.footnotes, footnoteTexts[a.r.IntN(len(footnoteTexts))])
			a.write("The figures were disputed at the time.[^" + strconv.Itoa(len(a.footnotes)) + "]")
		case a.chance(3):
			a.write(a.fill("Talks resumed -- briefly -- in {Y}... and then \"stalled for good\", as one banker put it."))
		default:
			a.sentence()
		}
	}
	a.line("")
}

func (a *article) externalLink() {
	pub := publishers[a.r.IntN(len(publishers))]
	u := "https://" + pub.host + "/" + strconv.Itoa(a.p.year) + "/" + a.p.parties[0].key + "-" + strconv.Itoa(a.r.IntN(10000))
	if a.chance(15) {
		a.write("Coverage at the time: " + u + " (in English).")
	} else {
		a.write("As [" + pub.name + " reported](" + u + "), the talks had taken months.")
	}
}

// sentence writes one sentence, now and then with a word emphasised.
func (a *article) sentence() {
	s := a.fill(sentences[a.r.IntN(len(sentences))])
	if a.chance(8) {
		words := strings.Split(s, " ")
		i := a.r.IntN(len(words))
		if w := words[i]; strings.IndexFunc(w, isMarkup) < 0 {
			mark := []string{"*", "**", "_", "~~"}[a.r.IntN(4)]
			words[i] = mark + w + mark
			s = strings.Join(words, " ")
		}
	}
	a.write(s)
}

// isMarkup flags characters that would make a wrapped word something
// other than plain emphasis.
func isMarkup(r rune) bool { return strings.ContainsRune("*_~`[]()\\\"'", r) }

func (a *article) list() {
	a.line("")
	numbered := a.chance(30)
	for k := range 3 + a.r.IntN(4) {
		marker := "- "
		if numbered {
			marker = strconv.Itoa(k+1) + ". "
		}
		a.write(marker + a.fill(listItems[a.r.IntN(len(listItems))]))
		a.line("")
	}
}

func (a *article) table() {
	a.line("")
	a.line(a.fill("| Item | {A} | {B} |"))
	a.line("|---|---:|---:|")
	rows := []string{"Revenue ({Y})", "Employees", "Countries", "Market share in {S}", "Patents held", "Net debt"}
	for _, row := range rows[:3+a.r.IntN(4)] {
		a.line(a.fill("| " + row + " | {N},{N}0 | {N}.{N} |"))
	}
}

func (a *article) seeAlso(rels int) {
	if rels == 0 {
		return
	}
	a.line("")
	a.write("See also")
	for k := range rels {
		target, text := a.relLink()
		sep := ", "
		if k == 0 {
			sep = " "
		} else if k == rels-1 {
			sep = " and "
		}
		a.write(sep + "[" + text + "](" + target + ")")
	}
	a.line(".")
}

func (a *article) footnoteDefs() {
	if len(a.footnotes) > 0 {
		a.line("")
	}
	for i, t := range a.footnotes {
		a.line("[^" + strconv.Itoa(i+1) + "]: " + t)
	}
}

// write appends s, counting its words.
func (a *article) write(s string) {
	if s == "" {
		return
	}
	a.b.WriteString(s)
	a.words += strings.Count(s, " ") + 1
}

// fill replaces the {X} slots of a template (see sentences).
func (a *article) fill(tmpl string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		b.WriteString(a.slot(tmpl[i+1 : i+j]))
		tmpl = tmpl[i+j+1:]
	}
}

func (a *article) slot(name string) string {
	p := a.p
	switch name {
	case "A":
		return p.parties[0].name
	case "B":
		return p.other().name
	case "P":
		if a.chance(50) {
			return p.parties[a.r.IntN(len(p.parties))].name
		}
		return parties[a.r.IntN(len(parties))].name
	case "S":
		return p.sector
	case "V":
		if a.value != "" && a.chance(50) {
			return a.value
		}
		return "$" + strconv.Itoa(1+a.r.IntN(900)) + " million"
	case "Y":
		return strconv.Itoa(p.year + a.r.IntN(3))
	case "N":
		return strconv.Itoa(2 + a.r.IntN(94))
	case "W":
		return nounPhrases[a.r.IntN(len(nounPhrases))]
	case "T":
		return strings.ToUpper(p.parties[0].key[:4])
	case "D":
		return longDate(p)
	}
	return "{" + name + "}"
}

// longDate writes the plan's date as prose, as precise as it is.
func longDate(p *plan) string {
	switch len(p.date) {
	case 4:
		return "an unreported day of " + p.date
	case 7:
		return "a day in " + p.t.Format("January 2006")
	}
	return p.t.Format("2 January 2006")
}
