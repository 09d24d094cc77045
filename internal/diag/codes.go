package diag

// Code is the stable identifier of one kind of problem. Codes never
// change meaning; docs/diagnostics.md describes each.
type Code string

// The codes, grouped by the stage that reports them.
const (
	// Site folder and files.
	NoContent  Code = "DS001" // no content/ folder
	Unreadable Code = "DS002" // a file or folder cannot be read
	TooLarge   Code = "DS003" // a file over the size limit
	NotRegular Code = "DS004" // a pipe, device or socket where a file should be
	LinkedDir  Code = "DS005" // a symbolic link to a folder, or one that cannot be followed
	Internal   Code = "DS006" // a bug in dealsite: a panic, recovered, while processing a file

	// Front matter and settings.
	NoFrontMatter  Code = "DS100" // the file does not start with ---
	UnknownField   Code = "DS101" // a field the schema does not know
	BadYAML        Code = "DS102" // the YAML does not parse
	MissingField   Code = "DS103" // a required field is absent
	WrongType      Code = "DS104" // a field has the wrong type
	BadDate        Code = "DS105" // not a valid date
	BadSlug        Code = "DS106" // a slug that is not URL-safe, or none can be made
	BadSource      Code = "DS107" // a source entry is incomplete or its URL invalid
	BadRange       Code = "DS108" // an end before its start
	DuplicateField Code = "DS109" // a field given twice
	EmptyField     Code = "DS110" // a required field is empty
	UnclosedFront  Code = "DS111" // the front matter has no closing ---
	BadEra         Code = "DS112" // an era entry is malformed
	BadBaseURL     Code = "DS113" // base_url is not an absolute http(s) URL
	TooManyTerms   Code = "DS114" // more tags or parties than an article may have
	TooDeep        Code = "DS115" // markdown nested deeper than allowed
	FrontLimit     Code = "DS116" // front matter too large or nested too deep

	// Markdown and links between files.
	BadScheme     Code = "DS201" // a link scheme that is not allowed
	LinkOutside   Code = "DS202" // a link to a file outside content/
	MissingTarget Code = "DS203" // a link to an article file that does not exist
	DraftTarget   Code = "DS204" // a link to a draft that is not published
	BadMarkdown   Code = "DS205" // the markdown could not be rendered
	HeadingID     Code = "DS206" // a heading id written with {#…} that the page already uses

	// The site model.
	DuplicateSlug Code = "DS301" // two articles with one slug
	NoBaseURL     Code = "DS302" // base_url missing

	// Templates and static files.
	TemplateSyntax  Code = "DS401" // a template does not parse
	TemplateRun     Code = "DS402" // a template fails while rendering a page
	UnknownTemplate Code = "DS403" // a layouts/ file no page uses
	MissingTemplate Code = "DS404" // a page template is missing
	StaticClash     Code = "DS405" // a static file in the place of a generated one

	// Checks of the built site (dealsite check).
	BrokenLink     Code = "DS501" // an internal link to a page that does not exist
	BrokenFragment Code = "DS502" // a #fragment with no matching id on its page
	OutsideBase    Code = "DS503" // a root-relative link outside the base path
	DraftReachable Code = "DS504" // draft content reachable from published pages
	DuplicateTitle Code = "DS505" // two events with one title on one date (warning)
	SimilarTags    Code = "DS506" // tags that differ only in punctuation (warning)
	DuplicateID    Code = "DS507" // an id given to two elements of one page

	// Media: images, article folders and their files.
	MissingAlt     Code = "DS601" // an image without alt text that is not marked decorative
	MissingImage   Code = "DS602" // an image whose file does not exist
	NotImage       Code = "DS603" // an image file dealsite cannot read as an image
	ImageTooLarge  Code = "DS604" // an image file over the size limit
	RemoteImage    Code = "DS605" // an image on another host (http, https)
	ImageOutside   Code = "DS606" // an image outside content/ and static/
	BadImageField  Code = "DS607" // the front matter image field is malformed
	BundleMarkdown Code = "DS608" // a second markdown file inside an article folder
	MissingFile    Code = "DS609" // a link to a file of an article folder that does not exist
	BrokenMedia    Code = "DS610" // a built page's image points at a file the build did not write
)

// Info describes a code for documentation and fix hints.
type Info struct {
	Code  Code
	Title string
	Hint  string
}

// Codes lists every code in order, with its title and default hint.
var Codes = []Info{
	{NoContent, "no content folder", "Run dealsite in the site folder, or pass -site DIR; the site needs a content/ folder."},
	{Unreadable, "cannot read a file", "Check the file's permissions, and that it is not a symlink leading outside the site folder or in a loop."},
	{TooLarge, "file too large", "Split the article; articles are limited to 16 MiB."},
	{NotRegular, "not a regular file", "Replace the pipe, device or socket with a normal file."},
	{LinkedDir, "linked folder not followed", "Move the articles into content/, or link each file instead of the folder; a link must stay inside the site folder."},
	{Internal, "internal error", "This is a bug in dealsite, not in the site: run the command again with DEALSITE_TRACE=1 to print where it happened, and report it with that output."},
	{NoFrontMatter, "missing front matter", "Start the file with a line ---, the YAML fields, then another line ---."},
	{UnknownField, "unknown field", "Fix the spelling (the message suggests the closest field) or remove the field."},
	{BadYAML, "invalid YAML", "Fix the YAML syntax at the line shown; quote text containing a colon or starting with [ { * & ! | > ' \" % @ `."},
	{MissingField, "missing required field", "Add the field: every article needs title and date."},
	{WrongType, "wrong type", "Give the field the type the README lists: text, a list, true/false, or a whole number."},
	{BadDate, "invalid date", "Write YYYY-MM-DD (or YYYY-MM, YYYY, or RFC 3339 with at most three digits after the seconds) with a real calendar date."},
	{BadSlug, "invalid slug", "Use lower-case letters, digits and dashes, or leave slug out to use the file name."},
	{BadSource, "invalid source", "Give each source a title, and a url that starts with http:// or https://."},
	{BadRange, "end before start", "Make the end date the same as or later than the start date."},
	{DuplicateField, "field given twice", "Keep one of the two lines."},
	{EmptyField, "empty required field", "Fill in the field."},
	{UnclosedFront, "front matter not closed", "Add a line --- after the last front-matter field."},
	{BadEra, "invalid era", "Give each era a title, a start and an end date, the end later than the start."},
	{BadBaseURL, "invalid base URL", "Use an absolute URL like https://example.org/deals/."},
	{TooManyTerms, "too many tags or parties", "Keep to the 100 tags and 100 parties that matter most."},
	{TooDeep, "nesting too deep", "Nest quotes and lists at most 100 levels deep, counted as the parser opens them: on one line or across lines, not inside code blocks."},
	{FrontLimit, "front matter too large or too deep", "Keep front matter under 1 MiB and its lists and maps nested at most 100 levels deep."},
	{BadScheme, "link scheme not allowed", "Link with http, https, mailto or tel, or a relative path. An address in prose with another scheme (ftp://…) shows as text; javascript:, data:, vbscript: and file: are errors everywhere."},
	{LinkOutside, "link outside content/", "Link to article files relative to the linking file, inside content/."},
	{MissingTarget, "link to a missing article", "Fix the file name in the link, or create the article."},
	{DraftTarget, "link to an unpublished draft", "Publish the target (remove draft: true) or remove the link."},
	{BadMarkdown, "markdown could not be rendered", "Simplify the markdown around the line shown."},
	{HeadingID, "heading id already used", "Choose another {#id}, or leave it out: generated heading ids never repeat an id of the page."},
	{DuplicateSlug, "duplicate slug", "Give one of the two articles a different slug field."},
	{NoBaseURL, "base_url not set", "Add base_url to content/_index.md or pass -base-url."},
	{TemplateSyntax, "template syntax error", "Fix the template at the line and column shown."},
	{TemplateRun, "template failed while rendering", "Check the field names against the README's template reference."},
	{UnknownTemplate, "unknown template file", "Rename the file to one of the page templates, or move shared parts to layouts/partials/."},
	{MissingTemplate, "missing page template", "Add the template or delete the empty override."},
	{StaticClash, "static file clashes with the site", "Rename or move the static file."},
	{BrokenLink, "broken internal link", "Fix the link or create the page it points to."},
	{BrokenFragment, "missing #fragment", "Link to an id that exists on the target page (headings get ids from their text)."},
	{OutsideBase, "link outside the base path", "Start internal links with the site's base path, or use relative .md links."},
	{DraftReachable, "draft reachable", "Remove the link to the draft or publish it."},
	{DuplicateTitle, "duplicate title on one date", "Merge the two events or make their titles distinct."},
	{SimilarTags, "tags differ only in spelling", "Use one spelling for the tag everywhere."},
	{DuplicateID, "duplicate id on a page", "Give each element of a page its own id; a template that shows several article bodies on one page repeats their heading ids."},
	{MissingAlt, "image without alt text", "Describe the picture for readers who cannot see it: `![what it shows](file.jpg)`, or `alt:` in the image field. A purely decorative image: `![](file.jpg \"decorative\")`, or `alt: \"\"` with `decorative: true`."},
	{MissingImage, "image file not found", "Fix the file name: a path relative to the article's file, or /path for a file under static/."},
	{NotImage, "not an image", "Use a JPEG, PNG, GIF, WebP or SVG file; check that the file is not damaged."},
	{ImageTooLarge, "image file too large", "Scale the image down before adding it; image files are limited to 50 MiB and 50 megapixels."},
	{RemoteImage, "image on another host", "Download the image into the article's folder (or static/) and refer to the file: remote images shift the page while loading and tell another host who reads it."},
	{ImageOutside, "image outside content/ and static/", "Move the image into the article's folder or under static/, and refer to it from there."},
	{BadImageField, "invalid image field", "Write `image: {src: file.jpg, alt: \"what it shows\"}`, with optional caption, credit and `decorative: true`."},
	{BundleMarkdown, "markdown file inside an article folder", "An article folder holds one article, its index.md: move the file out of the folder to make it an article of its own, or rename it to another extension."},
	{MissingFile, "link to a missing file", "Fix the file name in the link, or add the file to the article's folder."},
	{BrokenMedia, "image not built", "Rebuild the site; if the build wrote the page, this is a bug in dealsite or in a layout that writes image URLs by hand."},
}

// HintFor returns the default hint of a code.
func HintFor(c Code) string {
	for _, info := range Codes {
		if info.Code == c {
			return info.Hint
		}
	}
	return ""
}
