package content

import (
	"context"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxNesting bounds how deep quotes, list items and other container
// blocks nest, counted as the parser opens them, on one line or across
// many. goldmark revisits every open container on every line, so depth
// multiplies the work: a 2,000-level list took seconds.
const MaxNesting = 100

// parseGuard is the per-parse state of the nesting limit and of
// cancellation. The guarded block parsers record where the limit was
// first passed; the guarded reader then ends the parse early, as it
// does when ctx is done.
type parseGuard struct {
	ctx   context.Context
	lines lineIndex
	// deepLine is the 1-based line where a container would have opened
	// past MaxNesting, or 0.
	deepLine int
}

var parseGuardKey = parser.NewContextKey()

// stopped reports that nothing more is worth parsing.
func (g *parseGuard) stopped() bool {
	return g.deepLine != 0 || g.ctx.Err() != nil
}

// guardedReader ends the input early, at a line boundary, once its
// guard has stopped.
type guardedReader struct {
	text.Reader
	guard *parseGuard
}

func (r guardedReader) AdvanceLine() {
	r.Reader.AdvanceLine()
	if !r.guard.stopped() {
		return
	}
	for line, _ := r.Reader.PeekLine(); line != nil; line, _ = r.Reader.PeekLine() {
		r.Reader.AdvanceLine()
	}
}

// guardedParser wraps every block parser added to it, by dealsite or an
// extension, in a nestingGuard.
type guardedParser struct{ parser.Parser }

func (p guardedParser) AddOptions(opts ...parser.Option) {
	for _, o := range opts {
		p.Parser.AddOptions(guardBlockParsers{o})
	}
}

// guardBlockParsers applies an option, then wraps the block parsers it
// added.
type guardBlockParsers struct{ parser.Option }

func (o guardBlockParsers) SetParserOption(c *parser.Config) {
	n := len(c.BlockParsers)
	o.Option.SetParserOption(c)
	for i := n; i < len(c.BlockParsers); i++ {
		bp := c.BlockParsers[i].Value.(parser.BlockParser)
		c.BlockParsers[i] = util.Prioritized(nestingGuard{bp}, c.BlockParsers[i].Priority)
	}
}

// nestingGuard refuses to open a container block deeper than
// MaxNesting and records where that happened.
type nestingGuard struct{ parser.BlockParser }

func (g nestingGuard) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.Position()
	node, state := g.BlockParser.Open(parent, reader, pc)
	if node == nil || state&parser.HasChildren == 0 {
		return node, state
	}
	depth := containerDepth(parent) + 1
	if depth <= MaxNesting {
		return node, state
	}
	if guard, ok := pc.Get(parseGuardKey).(*parseGuard); ok && guard.deepLine == 0 {
		guard.deepLine = guard.lines.line(seg.Start)
	}
	reader.SetPosition(line, seg)
	return nil, parser.NoChildren
}

// SetOption passes parser options (heading ids, attributes) on.
func (g nestingGuard) SetOption(name parser.OptionName, value any) {
	if so, ok := g.BlockParser.(parser.SetOptioner); ok {
		so.SetOption(name, value)
	}
}

// containerDepth counts the containers n is in, n included: block
// quotes, list items, footnotes. A list is not a level of its own; its
// items are.
func containerDepth(n ast.Node) int {
	depth := 0
	for ; n != nil; n = n.Parent() {
		if k := n.Kind(); k != ast.KindDocument && k != ast.KindList {
			depth++
		}
	}
	return depth
}

// newGuardedParser is goldmark's default parser with every block parser
// guarded.
func newGuardedParser() parser.Parser {
	p := guardedParser{parser.NewParser()}
	p.AddOptions(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
	return p
}
