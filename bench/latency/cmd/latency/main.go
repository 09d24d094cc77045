// Command latency runs a watcher (`dealsite watch`, `hugo server`
// rendering to disk) on a site folder and measures, with package latency,
// how long a saved edit takes to reach the output folder: the median and
// 90th percentile of n edits of one article's text, and, for dealsite,
// of adding and deleting an article until every listing shows it.
//
//	latency -site DIR -out OUT -- dealsite watch -site DIR -out OUT
//	latency -site DIR -out OUT -layout hugo -adds 0 -ready '^Press Ctrl' -done '^Total in' -- hugo server --renderToDisk …
//
// scripts/latency.sh runs it for dealsite and Hugo side by side.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"time"

	"github.com/dealsite/dealsite/bench/latency"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "latency:", err)
		os.Exit(1)
	}
}

type config struct {
	site, out, layout string
	edits, adds       int
	first             bool
	ready, done       *regexp.Regexp
	command           []string
}

func parse(args []string) (config, error) {
	var c config
	var ready, done string
	fs := flag.NewFlagSet("latency", flag.ContinueOnError)
	fs.StringVar(&c.site, "site", "", "the site folder the command watches")
	fs.StringVar(&c.out, "out", "", "the output folder it writes")
	fs.StringVar(&c.layout, "layout", "dealsite", "whose output layout: dealsite or hugo (bench/hugo)")
	fs.IntVar(&c.edits, "edits", 20, "edits of one article's text")
	fs.BoolVar(&c.first, "first", false, "edit the first paragraph (the summary) instead of adding a last one")
	fs.IntVar(&c.adds, "adds", 10, "saves adding and deleting an article, alternately (dealsite layout only; even)")
	fs.StringVar(&ready, "ready", `^Watching`, "a line the command prints when it watches")
	fs.StringVar(&done, "done", `^Built `, "a line the command prints after each rebuild")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.command = fs.Args()
	if c.site == "" || c.out == "" || len(c.command) == 0 {
		return c, errors.New("usage: latency -site DIR -out DIR [flags] -- COMMAND ARGS...")
	}
	var err error
	if c.ready, err = regexp.Compile(ready); err == nil {
		c.done, err = regexp.Compile(done)
	}
	return c, err
}

func run(args []string) error {
	c, err := parse(args)
	if err != nil {
		return err
	}
	article, err := latency.FirstArticle(c.site)
	if err != nil {
		return err
	}
	page := latency.DealsitePage(article)
	if c.layout == "hugo" {
		if page, err = latency.HugoPage(c.site, article); err != nil {
			return err
		}
	}
	p, err := start(c.command)
	if err != nil {
		return err
	}
	defer p.stop()
	if err := p.wait(c.ready, 1, 30*time.Minute); err != nil {
		return err
	}
	took, err := latency.Edits(article, filepath.Join(c.out, page), c.edits, c.first, latency.Options{Settle: p.settle(c.done)})
	if err != nil {
		return err
	}
	fmt.Printf("edit %s: %s\n", page, latency.Summary(took))
	if c.adds > 0 && c.layout == "dealsite" {
		took, err := latency.AddDelete(c.site, c.out, c.adds, latency.Options{Settle: p.settle(c.done)})
		if err != nil {
			return err
		}
		fmt.Printf("add-delete: %s\n", latency.Summary(took))
	}
	return nil
}

// proc is the watcher, its output lines collected as they arrive (and
// kept: they are few).
type proc struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  []string
	exit chan error
}

func start(command []string) (*proc, error) {
	p := &proc{cmd: exec.Command(command[0], command[1:]...), exit: make(chan error, 1)}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p.cmd.Stderr = p.cmd.Stdout
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		p.collect(stdout)
		p.exit <- p.cmd.Wait()
	}()
	return p, nil
}

func (p *proc) collect(r io.Reader) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		p.mu.Lock()
		p.out = append(p.out, s.Text())
		p.mu.Unlock()
	}
}

func (p *proc) count(re *regexp.Regexp) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, l := range p.out {
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

// wait waits until n lines match re, the process ends, or d passes.
func (p *proc) wait(re *regexp.Regexp, n int, d time.Duration) error {
	deadline := time.Now().Add(d)
	for p.count(re) < n {
		select {
		case err := <-p.exit:
			p.exit <- err
			return fmt.Errorf("%s ended (%v) before printing %s", p.cmd.Path, err, re)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s printed no line matching %s %d times within %v", p.cmd.Path, re, n, d)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return nil
}

// settle returns a latency.Options.Settle that waits for one more done
// line per save than when it was made.
func (p *proc) settle(done *regexp.Regexp) func(int) error {
	before := p.count(done)
	return func(saves int) error { return p.wait(done, before+saves, 30*time.Minute) }
}

// stop interrupts the watcher and waits for it, killing it after 30 s.
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.exit:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exit
	}
}
