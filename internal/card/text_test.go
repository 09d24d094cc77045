package card

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

func testWrapper(t *testing.T, px, width int) wrapper {
	t.Helper()
	var buf sfnt.Buffer
	f, err := faceOf(&buf, true, px)
	if err != nil {
		t.Fatal(err)
	}
	return wrapper{buf: &buf, face: f, width: fixed.I(width)}
}

func TestWrap(t *testing.T) {
	w := testWrapper(t, 40, 400)
	for _, tc := range []struct {
		text string
		max  int
		want []string
		cut  bool
	}{
		{"Microsoft buys Nokia", 3, []string{"Microsoft buys", "Nokia"}, false},
		{"  Microsoft   buys\tNokia ", 3, []string{"Microsoft buys", "Nokia"}, false},
		{"Microsoft buys Nokia's phone business", 3, []string{"Microsoft buys", "Nokia's phone", "business"}, false},
		{"Microsoft buys Nokia's phone business", 2, []string{"Microsoft buys", "Nokia's phone…"}, true},
		{"Microsoft buys Nokia's devices, services", 2, []string{"Microsoft buys", "Nokia's devices…"}, true},
		{"Microsoft buys Nokiaphonebusiness", 2, []string{"Microsoft buys", "Nokiaphonebusine…"}, true},
		{"Rechtsschutzversicherungsgesellschaften", 3, []string{"Rechtsschutzversic", "herungsgesellschaft", "en"}, false},
		{"Rechtsschutzversicherungsgesellschaften", 2, []string{"Rechtsschutzversic", "herungsgesellsch…"}, true},
		{"Rechtsschutz-versicherungsgesellschaften", 3, []string{"Rechtsschutz-", "versicherungsgesell", "schaften"}, false},
		{"", 3, []string{}, false},
		{"Microsoft buys\u00a0Nokia's phone business", 3, []string{"Microsoft", "buys\u00a0Nokia's phone", "business"}, false},
	} {
		text, _ := drawable(w.buf, w.face, tc.text)
		lines, cut := w.wrap(words(text, " "), tc.max)
		if !slices.Equal(lines, tc.want) || cut != tc.cut {
			t.Errorf("wrap(%q, %d) = %q, %v; want %q, %v", tc.text, tc.max, lines, cut, tc.want, tc.cut)
		}
		for _, l := range lines {
			if !w.fits(l) {
				t.Errorf("wrap(%q, %d): %q is wider than the line", tc.text, tc.max, l)
			}
		}
	}
}

// TestWrapNeverOverflows wraps seeded random text, words long and short,
// and checks every line fits and the lines hold the text in order.
func TestWrapNeverOverflows(t *testing.T) {
	w := testWrapper(t, 54, 1040)
	letters := []rune("abcdefghijklmnopqrstuvwxyzÄÖÜßéαβγδабвгд-–/")
	state := uint64(15)
	next := func(n int) int { // a small seeded generator: the same runs everywhere
		state = state*6364136223846793005 + 1442695040888963407
		return int(state>>33) % n
	}
	for range 300 {
		var text []string
		for range 1 + next(30) {
			word := make([]rune, 1+next(1+next(60)))
			for i := range word {
				word[i] = letters[next(len(letters))]
			}
			text = append(text, string(word))
		}
		max := 1 + next(4)
		lines, cut := w.wrap(words(strings.Join(text, " "), " "), max)
		if len(lines) > max {
			t.Fatalf("%q: %d lines, want at most %d", text, len(lines), max)
		}
		for _, l := range lines {
			if !w.fits(l) {
				t.Fatalf("%q: %q is wider than the line", text, l)
			}
		}
		joined := strings.Join(lines, "")
		all := strings.Join(text, "")
		if cut {
			joined = strings.TrimSuffix(joined, ellipsis)
		}
		if squeezed := strings.ReplaceAll(joined, " ", ""); !strings.HasPrefix(all, squeezed) || (!cut && squeezed != all) {
			t.Fatalf("%q wrapped as %q (cut %v)", text, lines, cut)
		}
	}
}

func TestParties(t *testing.T) {
	p := &painter{}
	for _, tc := range []struct {
		parties []string
		want    []string
	}{
		{nil, nil},
		{[]string{"Microsoft", "Nokia"}, []string{"Microsoft • Nokia"}},
		{[]string{"Microsoft", " ", "Nokia 🎉"}, []string{"Microsoft • Nokia"}},
		{[]string{"Microsoft Corporation", "Nokia Oyj", "Stephen Elop", "Steve Ballmer", "European Commission"},
			[]string{"Microsoft Corporation • Nokia Oyj • Stephen Elop", "Steve Ballmer • European Commission"}},
		{[]string{"Microsoft Corporation", "Nokia Oyj", "Stephen Elop", "Steve Ballmer", "European Commission", "Qualcomm", "Foxconn", "Compal"},
			[]string{"Microsoft Corporation • Nokia Oyj • Stephen Elop", "Steve Ballmer • European Commission • Qualcomm • +2"}},
		{[]string{"The Very Long Name of a Party That Takes More Than a Whole Line On Its Own", "Nokia"},
			[]string{"The Very Long Name of a Party That Takes More Than a Whole", "Line On Its Own • Nokia"}},
		{[]string{"Microsoft", "華為"}, nil},
	} {
		b, err := p.parties(tc.parties)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(b.lines, tc.want) {
			t.Errorf("parties(%q) = %q, want %q", tc.parties, b.lines, tc.want)
		}
	}
}

func TestDrawable(t *testing.T) {
	var buf sfnt.Buffer
	f, err := faceOf(&buf, false, 36)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Microsoft buys Nokia", "Microsoft buys Nokia", true},
		{"  Nokia\n\tOyj  ", "Nokia Oyj", true},
		{"Ελληνικά, Русский, Українська: Ґ, Çà ŒŸ ß", "Ελληνικά, Русский, Українська: Ґ, Çà ŒŸ ß", true},
		{"€5.44 billion – “deal” № 1 ™", "€5.44 billion – “deal” № 1 ™", true},
		{"Deal 🎉 signed\u200d\ufe0f", "Deal signed", true},
		{"Nok\u00adia\x00 Oyj\x7f ©", "Nokia Oyj ©", true},
		{"€\u00a05.44\u202fbn, 3\u2009September", "€\u00a05.44\u00a0bn, 3 September", true},
		{"Nokia 诺基亚", "", false},
		{"Қазақстан", "", false},
		{"e\u0301", "é", true},
		{"x\u0301", "", false},
		{"₹40", "", false},
	} {
		got, ok := drawable(&buf, f, tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("drawable(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzWrap: lines never outnumber max nor overflow the width.
func FuzzWrap(f *testing.F) {
	f.Add("Microsoft buys Nokia's phone business", 2)
	f.Add("Rechtsschutz-versicherungs/gesellschaften", 1)
	f.Add("a\u0301 \xff\x00 —— //", 3)
	f.Fuzz(func(t *testing.T, text string, max int) {
		w := testWrapper(t, 54, 600)
		max = 1 + max&3
		s, _ := drawable(w.buf, w.face, text)
		lines, _ := w.wrap(words(s, " "), max)
		if len(lines) > max {
			t.Fatalf("%d lines, want at most %d", len(lines), max)
		}
		for _, l := range lines {
			if !w.fits(l) {
				t.Fatalf("%q is wider than the line", l)
			}
		}
	})
}

// TestManyParties: however many parties, the card counts those it
// leaves out, and is drawn in time linear in their number (the fuzzer
// found 100,000 parties took minutes: every count was wrapped in turn).
func TestManyParties(t *testing.T) {
	p := &painter{}
	names := strings.Split(strings.TrimSuffix(strings.Repeat("Nokia|", 100_000), "|"), "|")
	b, err := p.parties(names)
	if err != nil {
		t.Fatal(err)
	}
	shown := strings.Count(strings.Join(b.lines, " • "), "Nokia")
	want := fmt.Sprintf(" • +%d", len(names)-shown)
	if len(b.lines) != 2 || !strings.HasSuffix(b.lines[1], want) {
		t.Errorf("parties = %q, want two lines ending %q", b.lines, want)
	}
}

// TestBalance: a title's lines are set of nearly equal width, on no more
// lines than it took and with no word broken that was whole.
func TestBalance(t *testing.T) {
	w := testWrapper(t, 96, textW)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Nokia and Microsoft: a deal history", []string{"Nokia and Microsoft:", "a deal history"}},
		{"Microsoft to buy Nokia", []string{"Microsoft to buy Nokia"}},
		{"Rechtsschutzversicherungsgesellschaften", []string{"Rechtsschutzversiche", "rungsgesellschaften"}},
	} {
		toks := words(tc.text, " ")
		lines, _ := w.wrap(toks, 3)
		if got := w.balance(toks, lines); !slices.Equal(got, tc.want) {
			t.Errorf("balance(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
