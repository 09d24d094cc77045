package content

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/dealsite/dealsite/internal/diag"
)

// The front matter is decoded with goccy/go-yaml (YAML 1.2) into a small
// tree of values that remember where in the file they were written, so
// every diagnostic points at the key or value at fault, and text fields
// keep the text as written: "2.10" stays "2.10", "010" stays "010".

// valueKind says what a YAML value is, as dealsite's schema sees it.
type valueKind int

const (
	nullValue valueKind = iota // "~", "null" or nothing
	textValue                  // any other scalar: text, number, true/false, date
	listValue
	mapValue
	// badValue is a value that cannot be used. Its problem, if any, is
	// reported by the reader that knows which field it is; without one,
	// it was reported already and readers skip it silently.
	badValue
)

// value is one decoded YAML value and the file position it starts at.
type value struct {
	kind valueKind
	// text is a scalar as written when plain (unquoted), and the decoded
	// string when quoted or a block scalar.
	text      string
	plain     bool
	problem   string // badValue: what is wrong, after the field's name
	items     []*value
	fields    []*field
	line, col int
}

// field is one key of a mapping, where it was written, and its value.
type field struct {
	key       string
	line, col int
	value     *value
}

// Limits that keep decoding time linear in the front matter's size:
// the YAML parser's work grows with the square of the nesting depth.
const (
	MaxFrontMatterBytes = 1 << 20
	MaxFrontMatterDepth = 100
)

// yamlDecoder turns the YAML text of one file's front matter into a
// value tree, reporting problems at file positions.
type yamlDecoder struct {
	path    string
	text    []byte
	lines   lineIndex // where each line of text starts
	first   int       // file line of the first YAML line
	anchors map[string]*value
	diags   *diag.List
}

// decodeYAML decodes the front-matter text of path, whose first line is
// file line first. It returns the top-level mapping, or nil when the
// YAML cannot be read in full (the problem is in diags): a front matter
// is read completely or not at all.
func decodeYAML(path string, text []byte, first int, diags *diag.List) (top *value) {
	d := &yamlDecoder{path: path, text: text, lines: newLineIndex(text), first: first, diags: diags}
	// A panic in the YAML library (a bug there, on input nobody
	// expected) is a problem with this one file, not a crash.
	defer func() {
		if r := recover(); r != nil {
			d.syntaxError(first, 1, "the YAML reader failed on this front matter (%v); please report it", r)
			top = nil
		}
	}()
	if len(text) > MaxFrontMatterBytes {
		diags.Addf(diag.FrontLimit, path, 1, "front matter is %d bytes; at most %d (1 MiB) are allowed", len(text), MaxFrontMatterBytes)
		return nil
	}
	if line, col, msg := badCharacter(text); msg != "" {
		d.syntaxError(line+first-1, col, "%s", msg)
		return nil
	}
	tokens := lexer.Tokenize(string(text))
	if !d.checkTokens(tokens) {
		return nil
	}
	// Duplicate keys are reported by dealsite, with both lines.
	file, err := parser.Parse(tokens, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		d.parseError(err, tokens)
		return nil
	}
	return d.document(file)
}

// syntaxError reports YAML that cannot be read, at a file position.
func (d *yamlDecoder) syntaxError(line, col int, format string, args ...any) {
	e := diag.New(diag.BadYAML, d.path, line, "invalid front matter: "+format, args...)
	e.Col = col
	d.diags.Add(e)
}

// pos is the file line and column of a token. The YAML library counts
// columns in characters; diagnostics count bytes, and stay on the line
// (an implicit null is placed after the end of its line).
func (d *yamlDecoder) pos(tk *token.Token) (line, col int) {
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 || tk.Position.Line > len(d.lines) {
		return d.first, 1
	}
	start := d.lines[tk.Position.Line-1]
	text := d.text[start:]
	if end := bytes.IndexByte(text, '\n'); end >= 0 {
		text = text[:end]
	}
	col = 1
	for runes := 1; runes < tk.Position.Column && col <= len(text); runes++ {
		_, size := utf8.DecodeRune(text[col-1:])
		col += size
	}
	return tk.Position.Line + d.first - 1, col
}

// parseError reports an error of the YAML parser on one line: its
// message without the excerpt of the source it prints below it.
func (d *yamlDecoder) parseError(err error, tokens token.Tokens) {
	var syntax *yaml.SyntaxError
	if !errors.As(err, &syntax) {
		d.syntaxError(d.first, 1, "%s", firstLine(err.Error()))
		return
	}
	tk, msg := syntax.Token, firstLine(syntax.Message)
	// "a: b\n  c: d" makes "b c" one scalar over two lines; the
	// problem is the ":" after it, not where the scalar starts.
	if strings.HasPrefix(msg, "mapping value is not allowed") && tk != nil && tk.Next != nil && tk.Next.Type == token.MappingValueType {
		tk = tk.Next
	}
	line, col := d.pos(tk)
	// A flow list or map may span lines, so a "[" left open shows only
	// on a later line: point at the "[", the likely mistake.
	if open := openFlow(tokens, tk); open != nil && open.Position.Line < tk.Position.Line {
		openLine, openCol := d.pos(open)
		d.syntaxError(openLine, openCol, "this %q is not closed before line %d: %s", open.Value, line, msg)
		return
	}
	d.syntaxError(line, col, "%s", msg)
}

// openFlow returns the innermost "[" or "{" still open where tokens
// reach the position of at, or nil.
func openFlow(tokens token.Tokens, at *token.Token) *token.Token {
	if at == nil || at.Position == nil {
		return nil
	}
	var open []*token.Token
	for _, tk := range tokens {
		p := tk.Position
		if p.Line > at.Position.Line || p.Line == at.Position.Line && p.Column >= at.Position.Column {
			break
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			open = append(open, tk)
		case token.SequenceEndType, token.MappingEndType:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	if len(open) == 0 {
		return nil
	}
	return open[len(open)-1]
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// checkTokens applies the rules goccy/go-yaml's lexer does not: a
// comment is separated from what precedes it by white space (YAML 1.2
// §6.6: `key: "value"# note` is not a document), continuation lines are
// indented, and nesting is bounded.
func (d *yamlDecoder) checkTokens(tokens token.Tokens) bool {
	var flow []*token.Token // the open "[" and "{"
	var block []int         // columns of the open block collections
	for i, tk := range tokens {
		if len(block) > 0 {
			parent := block[len(block)-1]
			if len(flow) > 0 && continuesFlow(tk) && tokens[i-1].Position.Line < tk.Position.Line && tk.Position.Column <= parent {
				line, col := d.pos(flow[len(flow)-1])
				d.syntaxError(line, col, "this %q is not closed on its line, and line %d is not indented to continue it: close it, or indent the lines it goes on over", flow[len(flow)-1].Value, tk.Position.Line+d.first-1)
				return false
			}
			if !d.quoteIndented(tk, parent) {
				return false
			}
		}
		switch tk.Type {
		case token.CommentType:
			if prev := tk.Prev; prev != nil && strings.HasPrefix(tk.Origin, "#") && !endsInSpace(prev.Origin) {
				line, col := d.pos(tk)
				d.syntaxError(line, col, "a comment must be separated from the value by a space: write \" #\"")
				return false
			}
		case token.SequenceStartType, token.MappingStartType:
			flow = append(flow, tk)
		case token.SequenceEndType, token.MappingEndType:
			if len(flow) > 0 {
				flow = flow[:len(flow)-1]
			}
		case token.SequenceEntryType, token.MappingKeyType, token.MappingValueType:
			if len(flow) == 0 {
				block = openBlock(block, blockColumn(tk))
			}
		}
		if depth := len(flow) + len(block); depth > MaxFrontMatterDepth {
			line, _ := d.pos(tk)
			d.diags.Addf(diag.FrontLimit, d.path, line, "front matter is nested %d levels deep here; at most %d are allowed", depth, MaxFrontMatterDepth)
			return false
		}
	}
	return true
}

// continuesFlow reports a token of a flow collection's content: what
// must be indented when it starts a line. Comments are not content, and
// a closing "]" or "}" alone at the start of a line, as JSON is often
// written, is accepted (the YAML library reads it; nothing is lost).
func continuesFlow(tk *token.Token) bool {
	switch tk.Type {
	case token.CommentType, token.SequenceEndType, token.MappingEndType:
		return false
	}
	return true
}

// quoteIndented checks that the lines a quoted text goes on over are
// indented more than the block collection it is in, whose entries are
// at column parent.
func (d *yamlDecoder) quoteIndented(tk *token.Token, parent int) bool {
	if tk.Type != token.DoubleQuoteType && tk.Type != token.SingleQuoteType {
		return true
	}
	quoted := tk.Origin[max(strings.IndexAny(tk.Origin, `"'`), 0):] // without the blanks before it
	if !strings.Contains(quoted, "\n") {
		return true
	}
	line, _ := d.pos(tk)
	for i, l := range strings.Split(quoted, "\n")[1:] {
		body := strings.TrimLeft(l, " ")
		if strings.TrimSpace(body) != "" && len(l)-len(body) < parent {
			d.syntaxError(line+i+1, 1, "this line continues a quoted text and must be indented more than its field name")
			return false
		}
	}
	return true
}

// blockColumn is the column a block collection entry starts at: that of
// a "-" or "?", or of the key before a ":".
func blockColumn(tk *token.Token) int {
	if tk.Type == token.MappingValueType && tk.Prev != nil && tk.Prev.Position != nil {
		return tk.Prev.Position.Column
	}
	return tk.Position.Column
}

// openBlock keeps the stack of open block collections: an entry at
// column c closes those at c or deeper and is inside those to its left.
func openBlock(stack []int, c int) []int {
	for len(stack) > 0 && stack[len(stack)-1] >= c {
		stack = stack[:len(stack)-1]
	}
	return append(stack, c)
}

func endsInSpace(s string) bool {
	return s == "" || strings.ContainsRune(" \t\n\r", rune(s[len(s)-1]))
}

// badCharacter finds the first byte that cannot be in a YAML document:
// invalid UTF-8, or a control character other than tab and newline. It
// returns its 1-based line and column (in bytes) in text.
func badCharacter(text []byte) (line, col int, msg string) {
	line, col = 1, 1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return line, col, "the text is not valid UTF-8"
		case !printable(r):
			return line, col, fmt.Sprintf("YAML does not allow the control character %U; write it as an escape in double quotes, or remove it", r)
		case r == '\n':
			line, col = line+1, 0
		}
		i += size
		col += size
	}
	return 0, 0, ""
}

// printable is YAML 1.2's c-printable, without the carriage return
// (line ends are normalised to "\n" before decoding).
func printable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == 0x85:
		return true
	case r < 0x20, r == 0x7F, 0x80 <= r && r < 0xA0:
		return false
	case 0xD800 <= r && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return true
}

// document returns the mapping at the top of the front matter, after
// checking it is the only YAML document there.
func (d *yamlDecoder) document(file *ast.File) *value {
	if len(file.Docs) == 0 || file.Docs[0].Body == nil && len(file.Docs) == 1 {
		return &value{kind: mapValue}
	}
	for i, doc := range file.Docs[1:] {
		if doc.Body == nil {
			continue
		}
		if end := file.Docs[i].End; end != nil {
			line, col := d.pos(end)
			d.syntaxError(line, col, `a line "..." ends the YAML here, so the fields after it would be lost: remove it`)
		} else {
			line, col := d.pos(doc.Start)
			d.syntaxError(line, col, `a line "---" followed by text starts a second YAML document: the front matter ends only at a line "---" alone`)
		}
		return nil
	}
	d.anchors = map[string]*value{}
	top := d.value(file.Docs[0].Body)
	switch {
	case top.kind == mapValue:
		return top
	case top.kind == badValue && top.problem == "":
		return nil // reported
	case top.kind == textValue || top.kind == badValue:
		d.syntaxError(top.line, top.col, `it must be fields written as "name: value" lines, not a single value`)
	default:
		d.syntaxError(top.line, top.col, `it must be fields written as "name: value" lines, not %s`, describe(top))
	}
	return nil
}

// value converts one node of the YAML tree.
func (d *yamlDecoder) value(n ast.Node) *value {
	switch n := n.(type) {
	case nil:
		return &value{kind: nullValue}
	case *ast.NullNode:
		return d.at(&value{kind: nullValue}, n.Token)
	case *ast.StringNode:
		plain := n.Token.Type == token.StringType
		return d.at(&value{kind: textValue, text: n.Value, plain: plain}, n.Token)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		tk := n.GetToken()
		return d.at(&value{kind: textValue, text: tk.Value, plain: true}, tk)
	case *ast.LiteralNode:
		return d.at(&value{kind: textValue, text: n.Value.Value}, n.Start)
	case *ast.SequenceNode:
		v := d.at(&value{kind: listValue}, n.Start)
		for _, item := range n.Values {
			v.items = append(v.items, d.value(item))
		}
		return v
	case *ast.MappingNode:
		v := d.at(&value{kind: mapValue}, n.Start)
		for _, kv := range n.Values {
			if f, ok := d.field(kv); ok {
				v.fields = append(v.fields, f)
			}
		}
		if !n.IsFlowStyle && len(v.fields) > 0 {
			v.line, v.col = v.fields[0].line, v.fields[0].col // where the first key is
		}
		return v
	case *ast.MappingValueNode:
		v := d.at(&value{kind: mapValue}, n.GetToken())
		if f, ok := d.field(n); ok {
			v.fields, v.line, v.col = []*field{f}, f.line, f.col
		}
		return v
	case *ast.AnchorNode:
		v := d.value(n.Value)
		d.anchors[n.Name.GetToken().Value] = v
		return v
	case *ast.AliasNode:
		return d.alias(n)
	case *ast.TagNode:
		return d.tagged(n)
	}
	line, col := d.pos(n.GetToken())
	d.syntaxError(line, col, "dealsite does not read this kind of YAML node (%s)", n.Type())
	return &value{kind: badValue, line: line, col: col}
}

// at sets v's position to tk's and returns v.
func (d *yamlDecoder) at(v *value, tk *token.Token) *value {
	v.line, v.col = d.pos(tk)
	return v
}

// alias is the anchored value an alias names, placed where the alias
// is written. The value is shared, not copied, so aliases of aliases
// ("billion laughs") cost nothing.
func (d *yamlDecoder) alias(n *ast.AliasNode) *value {
	name := n.Value.GetToken().Value
	line, col := d.pos(n.Start)
	target, ok := d.anchors[name]
	if !ok {
		d.syntaxError(line, col, "alias %q refers to no anchor", "*"+name)
		return &value{kind: badValue, line: line, col: col}
	}
	v := *target
	v.line, v.col = line, col
	return &v
}

// tagged reads a value with an explicit tag. !!str makes a scalar text
// (as it is anyway); the other standard tags are what the value is
// already; binary data and unknown tags are errors, so nothing decodes
// to bytes that are not text.
func (d *yamlDecoder) tagged(n *ast.TagNode) *value {
	v := d.value(n.Value)
	line, col := d.pos(n.Start)
	v.line, v.col = line, col
	switch tag := n.Start.Value; tag {
	case "!!str":
		v.plain = false
		return v
	case "!!int", "!!float", "!!bool", "!!null", "!!seq", "!!map", "!!timestamp":
		return v
	case "!!binary":
		return &value{kind: badValue, problem: "must be text, not binary data (!!binary)", line: line, col: col}
	default:
		return &value{kind: badValue, problem: fmt.Sprintf("has the tag %q, which dealsite does not know: remove it", tag), line: line, col: col}
	}
}

// field converts one "name: value" pair. It returns false, having
// reported it, for a name that is not text (a list or a map as key).
func (d *yamlDecoder) field(kv *ast.MappingValueNode) (*field, bool) {
	var key *value
	switch k := kv.Key.(type) {
	case *ast.MergeKeyNode:
		key = d.at(&value{kind: textValue, text: "<<"}, k.Token)
	case *ast.MappingKeyNode:
		key = d.value(k.Value)
	default:
		key = d.value(k)
	}
	if key.kind != textValue {
		if key.kind != badValue || key.problem != "" {
			d.syntaxError(key.line, key.col, "a field name must be a single word or text, not %s", describe(key))
		}
		return nil, false
	}
	return &field{key: key.text, line: key.line, col: key.col, value: d.value(kv.Value)}, true
}

// describe names the kind of a value for messages: "a list", or the
// text of a scalar.
func describe(v *value) string {
	switch v.kind {
	case listValue:
		return "a list"
	case mapValue:
		return "a map"
	case nullValue:
		return "nothing"
	}
	return fmt.Sprintf("%q", shorten(v.text))
}

// shorten cuts a text quoted in a message to a length that keeps the
// message readable.
func shorten(s string) string {
	const most = 60
	if len(s) <= most {
		return s
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
