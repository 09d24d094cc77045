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
	// work over the CPUs, each worker reusing one tally.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(articles)/256))
	panics := make([]error, workers) // each worker's first, all reported
	var g errgroup.Group
	g.SetLimit(workers)
	for w := range workers {
		g.Go(func() error {
			t := &tally{articles: articles, position: position, score: make([]int32, len(articles))}
			for i := w; i < len(articles) && panics[w] == nil; i += workers {
				panics[w] = relateRecovering(articles[i], t)
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

// tally counts the terms each candidate shares with one article, by
// position in time order: an array, cleared by what was touched, costs
// far less than a map per article.
type tally struct {
	articles []*Article
	position map[*Article]int
	score    []int32 // by position; zero between articles
	touched  []int   // positions with a score, in the order first met
}

// relateRecovering is relateOne on a worker goroutine, where a panic
// would end the process.
func relateRecovering(a *Article, t *tally) (err error) {
	defer diag.Recover(&err, a.Path, "choosing its related events")
	relateOne(a, t)
	return nil
}

// relateOne picks a's related events.
func relateOne(a *Article, t *tally) {
	at := t.position[a]
	for _, term := range slices.Concat(a.Tags, a.Parties) {
		i, _ := slices.BinarySearchFunc(term.Articles, at, func(b *Article, p int) int {
			return cmp.Compare(t.position[b], p)
		})
		lo, hi := max(0, i-relatedWindow), min(len(term.Articles), i+relatedWindow+1)
		for _, b := range term.Articles[lo:hi] {
			if b != a {
				t.add(t.position[b])
			}
		}
	}
	a.Related = t.best(a)
}

func (t *tally) add(pos int) {
	if t.score[pos] == 0 {
		t.touched = append(t.touched, pos)
	}
	t.score[pos]++
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
// articles), and clears the tally for the next article.
func (t *tally) best(a *Article) []*Article {
	var top [relatedLimit]candidate
	n := 0
	for _, pos := range t.touched {
		b := t.articles[pos]
		d := b.Date.Instant().Sub(a.Date.Instant()) // a distance only: no order or grouping depends on it
		c := candidate{a: b, score: int(t.score[pos]), dist: max(d, -d)}
		t.score[pos] = 0
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
	t.touched = t.touched[:0]
	out := make([]*Article, n)
	for i := range n {
		out[i] = top[i].a
	}
	return out
}
