package site

import (
	"cmp"
	"runtime"
	"slices"
	"time"

	"github.com/dealsite/dealsite/internal/diag"
	"golang.org/x/sync/errgroup"
)

// relatedLimit is how many related events an article lists.
const relatedLimit = 3

// relatedWindow bounds the candidates taken from each shared term: the
// events nearest in time on either side. It keeps the work linear in the
// number of articles even when one tag is on all of them.
const relatedWindow = 8

// relate picks, for every article, the events sharing the most tags and
// parties with it, nearest in time first among equals. A panic on its
// workers comes back as an internal error naming the article.
func relate(articles []*Article) error {
	position := make(map[*Article]int, len(articles))
	for i, a := range articles {
		position[a] = i
	}
	// Each article's choice is independent of the others': split the
	// work over the CPUs, each worker reusing one map.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(articles)/256))
	panics := make([]error, workers) // each worker's first, all reported
	var g errgroup.Group
	g.SetLimit(workers)
	for w := range workers {
		g.Go(func() error {
			score := map[*Article]int{}
			for i := w; i < len(articles) && panics[w] == nil; i += workers {
				clear(score)
				panics[w] = relateRecovering(articles[i], position, score)
			}
			return nil
		})
	}
	_ = g.Wait()
	var list diag.List
	for _, err := range panics {
		list.Merge(err)
	}
	return list.Err()
}

// relateRecovering is relateOne on a worker goroutine, where a panic
// would end the process.
func relateRecovering(a *Article, position map[*Article]int, score map[*Article]int) (err error) {
	defer diag.Recover(&err, a.Path, "choosing its related events")
	relateOne(a, position, score)
	return nil
}

// relateOne picks a's related events; score is scratch space.
func relateOne(a *Article, position map[*Article]int, score map[*Article]int) {
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

// candidate is a possible related event with what ranks it.
type candidate struct {
	a     *Article
	score int
	dist  time.Duration
}

// better ranks more shared terms first, then nearer in time, then slug.
func (c candidate) better(o candidate) bool {
	if c.score != o.score {
		return c.score > o.score
	}
	if c.dist != o.dist {
		return c.dist < o.dist
	}
	return c.a.Slug < o.a.Slug
}

// best keeps the top relatedLimit candidates in one pass (no sort: an
// article can have a hundred candidates and there are thousands of
// articles).
func best(a *Article, score map[*Article]int) []*Article {
	var top [relatedLimit]candidate
	n := 0
	for b, sc := range score {
		d := b.Date.Instant().Sub(a.Date.Instant()) // a distance only: no order or grouping depends on it
		c := candidate{a: b, score: sc, dist: max(d, -d)}
		i := n
		if n < relatedLimit {
			n++
		} else if !c.better(top[n-1]) {
			continue
		} else {
			i = n - 1
		}
		for ; i > 0 && c.better(top[i-1]); i-- {
			top[i] = top[i-1]
		}
		top[i] = c
	}
	out := make([]*Article, n)
	for i := range n {
		out[i] = top[i].a
	}
	return out
}
