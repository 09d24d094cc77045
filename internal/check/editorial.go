package check

import (
	"fmt"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/site"
)

// checkTitles warns about two events with the same title on the same
// date, usually one event written up twice. The date is the day written
// (see writtenDay): a time of day, or the same day in two offsets, does
// not make two dates.
func checkTitles(s *site.Site, l *diag.List) {
	first := map[string]*site.Article{}
	for _, a := range s.Articles {
		key := writtenDay(a.Date) + "\x00" + strings.ToLower(strings.Join(strings.Fields(a.Title), " "))
		if other, dup := first[key]; dup {
			l.Warnf(diag.DuplicateTitle, a.Path, 0, "%q on %s is also the title of %s on the same date", a.Title, a.Date.ISO(), other.Path)
			continue
		}
		first[key] = a
	}
}

// writtenDay is the calendar date written, without its time of day, at
// its precision: "2013" and "2013-01" are not 2013-01-01.
func writtenDay(d content.Date) string {
	return fmt.Sprintf("%d:%04d-%02d-%02d", d.Precision, d.Year(), d.Month(), d.Day())
}

// checkTagSpellings warns about tags that are the same name spelt with
// different spacing or punctuation ("Windows-Phone" and "Windows Phone"),
// which the site shows as two tags. Symbols the slug rule spells out
// carry meaning: "C", "C++" and "C#" are three names, not one.
func checkTagSpellings(s *site.Site, l *diag.List) {
	first := map[string]*site.Term{}
	for _, t := range s.Tags {
		key := spellingKey(t.Name)
		if key == "" {
			continue // only emoji or punctuation: nothing to compare
		}
		other, dup := first[key]
		if !dup {
			first[key] = t
			continue
		}
		a := t.Articles[0]
		l.Warnf(diag.SimilarTags, a.Path, 0, "tag %q differs from %q only in punctuation; they show as two tags", t.Name, other.Name)
	}
}

// spellingKey is a name's slug without its dashes: the letters, digits
// and spelt-out symbols (content.Slugify) that make the name, without
// the case, spaces and separators that only spell it.
func spellingKey(name string) string {
	return strings.ReplaceAll(content.Slugify(name), "-", "")
}
