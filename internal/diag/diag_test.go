package diag

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestListSortsDeduplicatesAndMerges(t *testing.T) {
	var l List
	l.Addf(BadDate, "content/b.md", 3, "late")
	l.Addf(BadDate, "content/a.md", 10, "ten")
	l.Addf(UnknownField, "content/a.md", 2, "two")
	l.Addf(UnknownField, "content/a.md", 2, "two")
	l.Add(Diagnostic{Code: TemplateSyntax, Path: "layouts/x.html", Line: 4, Col: 7, Message: "col"})
	var inner List
	inner.Addf(Unreadable, "content/0.md", 0, "no line")
	l.Merge(fmt.Errorf("wrapped: %w", inner))
	l.Merge(errors.New("plain"))
	want := "plain\ncontent/0.md: error DS002: no line\ncontent/a.md:2: error DS101: two\ncontent/a.md:10: error DS105: ten\ncontent/b.md:3: error DS105: late\nlayouts/x.html:4:7: error DS401: col"
	if got := l.Err().Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if (List{}).Err() != nil {
		t.Error("empty list is an error")
	}
	var warnings List
	warnings.Warnf(SimilarTags, "content/a.md", 1, "w")
	if warnings.Err() != nil || warnings.Errors() != 0 {
		t.Error("warnings alone fail the run")
	}
}

func TestFormats(t *testing.T) {
	var l List
	d := New(UnknownField, "content/a,b.md", 3, `unknown field "tittle" (did you mean "title"?)`)
	d.Col = 1
	l.Add(d)
	l.Warnf(SimilarTags, "content/x.md", 0, "tags 100%% alike:\nWindows-Phone")
	tests := map[Format]string{
		Text: "content/a,b.md:3:1: error DS101: unknown field \"tittle\" (did you mean \"title\"?)\n" +
			"content/x.md: warning DS506: tags 100% alike:\nWindows-Phone\n",
		JSON: `{"code":"DS101","severity":"error","path":"content/a,b.md","line":3,"col":1,"message":"unknown field \"tittle\" (did you mean \"title\"?)","hint":"Fix the spelling (the message suggests the closest field) or remove the field."}` + "\n" +
			`{"code":"DS506","severity":"warning","path":"content/x.md","message":"tags 100% alike:\nWindows-Phone","hint":"Use one spelling for the tag everywhere."}` + "\n",
		GitHub: "::error file=content/a%2Cb.md,line=3,col=1,title=DS101::unknown field \"tittle\" (did you mean \"title\"?)%0AFix the spelling (the message suggests the closest field) or remove the field.\n" +
			"::warning file=content/x.md,title=DS506::tags 100%25 alike:%0AWindows-Phone%0AUse one spelling for the tag everywhere.\n",
	}
	for format, want := range tests {
		var buf bytes.Buffer
		if err := Write(&buf, l, format, false); err != nil {
			t.Fatal(err)
		}
		if buf.String() != want {
			t.Errorf("%s:\n%s\nwant\n%s", format, buf.String(), want)
		}
	}
	var colored bytes.Buffer
	Write(&colored, l, Text, true)
	if !strings.Contains(colored.String(), "\x1b[1;31merror DS101\x1b[0m") || !strings.Contains(colored.String(), "\x1b[1;33mwarning DS506\x1b[0m") {
		t.Errorf("colour: %q", colored.String())
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestEveryCodeDocumented(t *testing.T) {
	seen := map[Code]bool{}
	for _, info := range Codes {
		if seen[info.Code] || info.Title == "" || info.Hint == "" {
			t.Errorf("code %s duplicated or undocumented", info.Code)
		}
		seen[info.Code] = true
	}
}

func TestDocsListEveryCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/diagnostics.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range Codes {
		row := "| `" + string(info.Code) + "` | " + info.Title + " | " + info.Hint + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/diagnostics.md lacks the row %s", row)
		}
	}
}
