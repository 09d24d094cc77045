// Package search builds the site's search index: static files under
// search/ that the theme's script (static/js/search.js) loads as a
// visitor types, so that a query downloads only the little it needs.
//
// # What is indexed
//
// Every published article (drafts only when the build publishes them):
// its title, tags, parties and value (the "facts"), summary and body
// text. Text is folded (Fold: marks dropped, lower case, æ → ae, ß → ss)
// and cut into terms (Tokens: runs of letters and digits). Each article
// also gets the filter terms "tag:SLUG", "party:SLUG" and "year:YYYY".
//
// # The files
//
//	search/index.json        the manifest: version, number of documents,
//	                         numbers per chunk, the fold table, the sorted
//	                         keys of the term shards, and each year's
//	                         block of document numbers [year, first, count]
//	search/o/<year>.json     the order of a year's documents: their numbers
//	                         less the first of the block, newest first
//	search/t/<hex>.json      one term shard: {"term": "postings", …} for
//	                         every term starting with the shard's key
//	search/d/<n>.json        document chunk n: what a result shows of
//	                         documents n*chunk … n*chunk+chunk-1
//
// A shard's key is a term prefix of two code points, or longer for
// prefixes with many postings, which are split (see shardLimit); its
// file name is the key's UTF-8 bytes in hex. A term lives in the shard
// with the longest key that is a prefix of it. The script finds the one
// shard of an exact word, or the few of a prefix, from the manifest.
//
// A document's number is a pure function of the site (so that a clean
// build and a watch session agree byte for byte) that an article added
// or deleted barely changes (so that it touches few index files). Each
// year has a block of numbers, two to three for each of its documents,
// after the blocks of the years before it; a document's source path
// hashes to a home in its year's block, and documents taken in order of
// home, then path, each get their home or, when it is taken, the number
// after the last one given (see assignSlots). Adding an article thus
// moves only the few documents after it in its run of consecutive
// numbers, and rewrites the shards of its words (and theirs), its chunk,
// the manifest and its year's order; the documents of a year move
// when its block grows or shrinks, and those of the later years with
// them. Ties in the ranking go to the newest document: the script tells
// a document's year from its number, and reads the order of the years
// of the results it shows.
//
// A posting list is a string of numbers, each (gap << 4 | fields): gap
// is the distance from the previous document number, less one (the
// first is the number itself), fields the bits Title, Facts, Summary and Body where
// the term occurs. Each number is written low five bits first, one
// character of the URL-safe base64 alphabet for each five bits, the
// value 32 added to every character but the last; an order file is one
// JSON string of numbers written so. A document chunk is a JSON array
// of [page folder, title, date as shown, parties, snippet] arrays, null
// for a number no document has, trailing nulls left out; a chunk with
// no document is not written.
//
// # Cost
//
// Build is a function of the site: the same site gives the same bytes.
// Its work is mostly Analyze, once per article, and the inversion of
// every entry into shards (some two million postings at 10,000
// articles).
//
// A Cache keeps each entry between builds with what it was made from,
// the article's revisions and its terms' names, compared in place when
// the articles are the last build's in the same order: a rebuild after
// an edit reads and analyses that article only. It also keeps the last
// index and, when few documents changed, came or went (an eighth at
// most), replaces the postings of each number they held or hold and
// encodes again only the terms whose postings changed. A text edit
// that keeps a word keeps its posting; a changed term's numbers before
// and after the documents that changed are copied from its last bytes,
// so a common word added to one article costs a scan of its encoding,
// not an encoding of its thousands of postings. A shard's bytes depend
// only on the documents holding its terms and their numbers, and a
// chunk's on its documents, so the writer rewrites only the files an
// edit changed. What stays linear in the site is cheap: comparing each
// article's revisions and names, numbering the documents again when one
// comes or goes, and listing the shards and the files.
package search
