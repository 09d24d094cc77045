package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// FirstYear and LastYear bound the article dates.
const (
	FirstYear = 1995
	LastYear  = 2024
)

// plan is what other articles need to know of one article before any
// body is written: where its file is and whether it may be linked to.
type plan struct {
	path    string    // "content/2013/2013-09-03-northwind-systems-acquires-42.md"
	date    string    // as written in front matter: "2013-09-03", "2013-09" or "2013"
	t       time.Time // the day the date stands for
	year    int
	draft   bool
	kind    int
	parties []party // 1–3, distinct
	sector  string
}

// planAll decides every article's date, kind, parties and file path.
func planAll(n int, seed uint64) []plan {
	plans := make([]plan, n)
	for i := range plans {
		plans[i] = planOne(rng(seed, i, 0), i)
	}
	return plans
}

func planOne(r *rand.Rand, i int) plan {
	t := time.Date(FirstYear+r.IntN(LastYear-FirstYear+1), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	p := plan{t: t, year: t.Year(), draft: r.IntN(50) == 0, kind: r.IntN(len(kinds))}
	switch x := r.IntN(100); {
	case x < 3:
		p.date = t.Format("2006")
	case x < 10:
		p.date = t.Format("2006-01")
	default:
		p.date = t.Format("2006-01-02")
	}
	k := kinds[p.kind]
	count := 1 + r.IntN(3)
	if count == 1 && strings.Contains(k.title, "B") {
		count = 2 // the title names a second party
	}
	p.parties = pickParties(r, count)
	p.sector = tagSectors[r.IntN(len(tagSectors))]
	p.path = fmt.Sprintf("content/%d/%s-%s-%s-%d.md", p.year, p.date, p.parties[0].key, k.key, i+1)
	return p
}

// pickParties draws k distinct parties.
func pickParties(r *rand.Rand, k int) []party {
	out := make([]party, 0, k)
	for len(out) < k {
		c := parties[r.IntN(len(parties))]
		if !containsParty(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func containsParty(ps []party, p party) bool {
	for _, q := range ps {
		if q.key == p.key {
			return true
		}
	}
	return false
}

// publishedIndexes lists the articles that are not drafts: the only
// ones other articles may link to.
func publishedIndexes(plans []plan) []int {
	var out []int
	for i, p := range plans {
		if !p.draft {
			out = append(out, i)
		}
	}
	return out
}

// title fills the kind's title pattern.
func (p *plan) title() string {
	a, b := p.parties[0].name, p.other().name
	var sb strings.Builder
	for _, w := range strings.Fields(kinds[p.kind].title) {
		if sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		switch strings.TrimSuffix(w, "'s") {
		case "A":
			sb.WriteString(a + strings.TrimPrefix(w, "A"))
		case "B":
			sb.WriteString(b + strings.TrimPrefix(w, "B"))
		case "S":
			sb.WriteString(p.sector)
		default:
			sb.WriteString(w)
		}
	}
	return sb.String()
}

// other is the second party, or a fixed counterpart for one-party
// events so that every template reads.
func (p *plan) other() party {
	if len(p.parties) > 1 {
		return p.parties[1]
	}
	return party{name: "its rivals", key: "rivals"}
}
