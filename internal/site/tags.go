package site

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/content"
)

// TagKey is the identity of a tag: case and spacing do not matter, so
// "Windows Phone" and "windows  phone" are one tag.
func TagKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// groupTags collects the tags of the published articles (already in time
// order), links articles and tags both ways and gives every tag a slug no
// other tag has.
func (s *Site) groupTags() []*Tag {
	byKey := map[string]*Tag{}
	var tags []*Tag
	for _, a := range s.Articles {
		for _, name := range a.src.Tags {
			key := TagKey(name)
			t, ok := byKey[key]
			if !ok {
				t = &Tag{Name: strings.Join(strings.Fields(name), " ")}
				byKey[key] = t
				tags = append(tags, t)
			}
			if slices.Contains(a.Tags, t) {
				continue // the same tag twice on one article
			}
			a.Tags = append(a.Tags, t)
			t.Articles = append(t.Articles, a)
		}
	}
	slices.SortFunc(tags, func(a, b *Tag) int {
		return strings.Compare(TagKey(a.Name), TagKey(b.Name))
	})
	s.assignTagSlugs(tags)
	for _, t := range tags {
		t.Years = groupYears(t.Articles)
	}
	return tags
}

// assignTagSlugs gives tags (sorted by key) distinct slugs. Symbols are
// spelled out by content.Slugify, so collisions are rare; when two tags
// still meet ("Nokia!" and "Nokia?"), the later one gets "-2", "-3"…
func (s *Site) assignTagSlugs(tags []*Tag) {
	taken := map[string]bool{}
	for _, t := range tags {
		base := content.Slugify(t.Name)
		if base == "" { // only punctuation or emoji: name it by its hash
			sum := sha256.Sum256([]byte(TagKey(t.Name)))
			base = "tag-" + hex.EncodeToString(sum[:4])
		}
		slug := base
		for n := 2; taken[slug]; n++ {
			slug = base + "-" + strconv.Itoa(n)
		}
		taken[slug] = true
		t.Slug = slug
		t.Page = s.page("tags/" + slug + "/")
	}
}
