package site

// restamp recomputes the revisions of an article Update changed in
// place. A stub until the site revisions (issue 12, revs.go) land: then
// it calls the same function New uses to stamp an article, and whatever
// stamps the collections that include the article's revisions.
func restamp(a *Article) {}
