package render

import (
	"cmp"
	"encoding/json"
	"html/template"

	"github.com/dealsite/dealsite/internal/site"
)

// Structured data for search engines, as schema.org JSON-LD. It is built
// with encoding/json, which escapes <, > and & in strings, so nothing in
// it can close the <script> element it sits in.
//
// An article follows Google's Article structured-data guidance, and says
// nothing rather than something wrong. datePublished is the article's
// date, the one the page shows, when that is a full ISO 8601 date (a day,
// or a moment); a date of a month or a year ("2017") has no day to give,
// so there is none (content.Date.FullISO, the rule the theme's
// article:published_time follows too). dateModified is left out: dealsite does not know when
// an article last changed (file times change with every checkout, and
// the build has no clock). image is the page's og:image: the article's
// lead picture, or its social card.

type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

type ldArticle struct {
	Context          string    `json:"@context"`
	Type             string    `json:"@type"`
	Headline         string    `json:"headline"`
	Description      string    `json:"description,omitempty"`
	DatePublished    string    `json:"datePublished,omitempty"`
	URL              string    `json:"url"`
	MainEntityOfPage string    `json:"mainEntityOfPage"`
	InLanguage       string    `json:"inLanguage,omitempty"`
	Author           ldThing   `json:"author"`
	Publisher        ldThing   `json:"publisher"`
	Keywords         []string  `json:"keywords,omitempty"`
	About            []ldThing `json:"about,omitempty"`
	WordCount        int       `json:"wordCount,omitempty"`
	Image            string    `json:"image,omitempty"`
}

type ldItemList struct {
	Context         string       `json:"@context"`
	Type            string       `json:"@type"`
	Name            string       `json:"name"`
	Description     string       `json:"description,omitempty"`
	URL             string       `json:"url"`
	NumberOfItems   int          `json:"numberOfItems"`
	ItemListOrder   string       `json:"itemListOrder"`
	ItemListElement []ldListItem `json:"itemListElement"`
}

type ldListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	URL      string `json:"url"`
	Name     string `json:"name"`
}

// articleJSONLD describes one article as a NewsArticle.
func articleJSONLD(s *site.Site, a *site.Article, img *SocialImage) template.JS {
	org := ldThing{Type: "Organization", Name: s.Title}
	ld := ldArticle{
		Context: "https://schema.org", Type: "NewsArticle",
		Headline: a.Title, Description: a.Summary,
		DatePublished: a.Date.FullISO(), URL: a.Permalink, MainEntityOfPage: a.Permalink,
		InLanguage: s.Language, Author: org, Publisher: org,
		Keywords: names(a.Tags), WordCount: a.Words,
	}
	if s.Author != "" {
		ld.Author = ldThing{Type: "Organization", Name: cmp.Or(s.Author, s.Title)}
	}
	if img != nil {
		ld.Image = img.URL
	}
	for _, p := range a.Parties {
		ld.About = append(ld.About, ldThing{Type: "Organization", Name: p.Name})
	}
	return marshalJS(ld)
}

// timelineJSONLD describes the timeline as an ItemList of the events it
// lists: all of them, or the newest when there are too many for one page.
func timelineJSONLD(s *site.Site) template.JS {
	shown := s.Articles[len(s.Articles)-s.LatestCount():]
	ld := ldItemList{
		Context: "https://schema.org", Type: "ItemList",
		Name: s.Title, Description: s.Description, URL: s.Home().Permalink,
		NumberOfItems: len(shown), ItemListOrder: "https://schema.org/ItemListOrderAscending",
		ItemListElement: make([]ldListItem, 0, len(shown)),
	}
	for i, a := range shown {
		ld.ItemListElement = append(ld.ItemListElement, ldListItem{Type: "ListItem", Position: i + 1, URL: a.Permalink, Name: a.Title})
	}
	return marshalJS(ld)
}

func marshalJS(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		panic("render: encoding JSON-LD: " + err.Error()) // fixed types; cannot fail
	}
	return template.JS(b)
}
