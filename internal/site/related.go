package site

import (
	"cmp"
	"slices"
	"time"
)

// relatedLimit is how many related events an article lists.
const relatedLimit = 3

// relatedWindow bounds the candidates taken from each shared term: the
// events nearest in time on either side. It keeps the work linear in the
// number of articles even when one tag is on all of them.
const relatedWindow = 8

// relate picks, for every article, the events sharing the most tags and
// parties with it, nearest in time first among equals.
func relate(articles []*Article) {
	position := make(map[*Article]int, len(articles))
	for i, a := range articles {
		position[a] = i
	}
	for _, a := range articles {
		score := map[*Article]int{}
		for _, t := range slices.Concat(a.Tags, a.Parties) {
			i, _ := slices.BinarySearchFunc(t.Articles, position[a], func(b *Article, p int) int {
				return cmp.Compare(position[b], p)
			})
			lo, hi := max(0, i-relatedWindow), min(len(t.Articles), i+relatedWindow+1)
			for _, b := range t.Articles[lo:hi] {
				if b != a {
					score[b]++
				}
			}
		}
		a.Related = best(a, score)
	}
}

func best(a *Article, score map[*Article]int) []*Article {
	candidates := make([]*Article, 0, len(score))
	for b := range score {
		candidates = append(candidates, b)
	}
	distance := func(b *Article) time.Duration {
		d := b.Date.Time.Sub(a.Date.Time)
		return max(d, -d)
	}
	slices.SortFunc(candidates, func(x, y *Article) int {
		return cmp.Or(cmp.Compare(score[y], score[x]), cmp.Compare(distance(x), distance(y)),
			cmp.Compare(x.Slug, y.Slug))
	})
	return candidates[:min(len(candidates), relatedLimit)]
}
