package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
)

// publish keeps the articles to publish, sorted in time order: by date
// as written (see content.Date.Compare: the calendar day, coarser dates
// first, then times of day by instant), then weight, title and slug.
func (s *Site) publish(all []*content.Article, drafts bool) []*Article {
	var out []*Article
	for _, a := range all {
		if a.Draft && !drafts {
			continue
		}
		out = append(out, &Article{
			Path: a.Path, Title: a.Title, Date: a.Date, EndDate: a.EndDate, Weight: a.Weight,
			DateISO: a.Date.ISO(), WhenText: content.Range(a.Date, a.EndDate),
			Summary: a.Summary, OwnSummary: a.OwnSummary, Value: a.Value, Amount: ParseAmount(a.Value), Sources: a.Sources,
			Slug: a.Slug, Draft: a.Draft, Headings: a.Headings, Words: a.Words, Lead: a.Lead,
			Page: s.page("articles/" + a.Slug + "/"),
			src:  a,
		})
	}
	slices.SortStableFunc(out, timeOrder)
	for i, a := range out {
		if i > 0 {
			a.Prev = out[i-1]
		}
		if i+1 < len(out) {
			a.Next = out[i+1]
		}
	}
	return out
}

// timeOrder is the order of published articles (see publish).
func timeOrder(a, b *Article) int {
	return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Weight, b.Weight),
		strings.Compare(a.Title, b.Title), strings.Compare(a.Slug, b.Slug))
}

// groupYears makes the year pages, linked to their neighbours.
func (s *Site) groupYears() []*Year {
	years := yearsOf(s.Articles)
	for i, y := range years {
		y.Page = s.yearPage(y.Year)
		for _, a := range y.Articles {
			a.Year = y
		}
		if i > 0 {
			y.Prev = years[i-1]
			years[i-1].Next = y
		}
	}
	return years
}

// yearPage locates the page of one year.
func (s *Site) yearPage(year int) Page { return s.page("years/" + strconv.Itoa(year) + "/") }

// yearsOf groups articles (in time order) by the year written. The
// order is by the day written first, so each year is one run.
func yearsOf(articles []*Article) []*Year {
	var years []*Year
	for _, a := range articles {
		y := a.Date.Year()
		if len(years) == 0 || years[len(years)-1].Year != y {
			years = append(years, &Year{Year: y})
		}
		last := years[len(years)-1]
		last.Articles = append(last.Articles, a)
	}
	return years
}

// placeEras puts each article in the first era (in settings order) whose
// period contains its date, in days as written (see content.Contains). Articles are in time order, so each era's
// members are found by one binary search and a scan of its own span.
func (s *Site) placeEras(settings []content.Era) []*Era {
	eras := make([]*Era, 0, len(settings))
	for i, e := range settings {
		era := &Era{Title: e.Title, Start: e.Start, End: e.End, WhenText: content.Range(e.Start, e.End), Slug: "era-" + strconv.Itoa(i+1)}
		first, _ := slices.BinarySearchFunc(s.Articles, e.Start, func(a *Article, start content.Date) int {
			return a.Date.CompareDay(start)
		})
		for _, a := range s.Articles[first:] {
			if !content.Contains(e.Start, e.End, a.Date) {
				break
			}
			if a.Era == nil {
				a.Era = era
			}
			era.Articles = append(era.Articles, a)
		}
		eras = append(eras, era)
	}
	for _, e := range eras {
		if len(e.Articles) > 0 && e.Articles[0].Era == e {
			e.Articles[0].FirstOfEra = true
		}
	}
	return eras
}

// EraStarts reports whether a is the first event of its era, where the
// timeline shows the era's label.
func (a *Article) EraStarts() bool {
	return a.Era != nil && len(a.Era.Articles) > 0 && a.Era.Articles[0] == a
}
