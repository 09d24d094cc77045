package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"time"

	"github.com/dealsite/dealsite/internal/build"
	"github.com/dealsite/dealsite/internal/outdir"
	"github.com/dealsite/dealsite/internal/serve"
	"github.com/dealsite/dealsite/internal/watch"
)

type serveFlags struct {
	site, addr string
	format     string
	drafts     bool
	open       bool
	poll       time.Duration
	cache      cacheFlags
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&f.site, "site", ".", "site folder holding content/, layouts/ and static/")
	fs.StringVar(&f.addr, "addr", "127.0.0.1:1313", "address to listen on; 0.0.0.0:PORT shares the preview with your network")
	fs.BoolVar(&f.drafts, "drafts", false, "include articles marked draft: true")
	fs.BoolVar(&f.open, "open", false, "open the site in the default browser")
	fs.DurationVar(&f.poll, "poll", 0, "poll for changes at this interval (e.g. 500ms) instead of file system events")
	registerFormat(fs, &f.format)
	f.cache.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dealsite serve [flags]\n\nBuilds the site into memory, serves it with live reload and rebuilds on every\nchange. It never writes to the output folder.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return usageError{fmt.Sprintf("-addr %s: %v", f.addr, err)}
	}
	return serveSite(ctx, f, ln, stdout, stderr)
}

// serveSite serves the site on ln until ctx is done or serving fails.
// Every way out stops the watcher and waits for it, so no rebuild runs,
// prints or publishes after serveSite returns.
func serveSite(ctx context.Context, f serveFlags, ln net.Listener, stdout, stderr io.Writer) error {
	defer ln.Close() // Shutdown closes it too, once serving has started
	addr := ln.Addr().String()
	url := "http://" + browsableAddr(addr) + "/"
	if serve.BindsAllInterfaces(addr) {
		fmt.Fprintf(stderr, "dealsite: warning: %s listens on every network interface; anyone who can reach this machine can read the preview, drafts included\n", addr)
	}
	diagOut, err := newOutput(f.format, stderr)
	if err != nil {
		return err
	}
	srv := serve.New(addr)
	watchCtx, stopWatching := context.WithCancel(ctx)
	w := startWatching(watchCtx, f, previewBuilder(watchCtx, f, url, srv, diagOut, stdout, stderr), stdout, stderr)
	defer func() { stopWatching(); <-w.done }()
	select {
	case <-w.ready:
	case <-w.done:
		return w.err
	}
	if ctx.Err() != nil {
		return nil // interrupted during the first build
	}
	httpServer := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	fmt.Fprintf(stdout, "Serving %s at %s (live reload on). Press Ctrl-C to stop.\n", f.site, url)
	if f.open {
		openBrowser(url, stderr)
	}
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-served:
	case <-w.done:
		runErr = w.err
	}
	stopServing(srv, httpServer)
	if ctx.Err() != nil || errors.Is(runErr, http.ErrServerClosed) {
		return nil
	}
	return runErr
}

// previewBuilder returns serve's build: into memory, published to srv,
// with a line on stdout or the problems on stderr. A build cut short by
// ctx publishes nothing.
func previewBuilder(ctx context.Context, f serveFlags, url string, srv *serve.Server, diagOut output, stdout, stderr io.Writer) func(*build.Changes) {
	builder := build.NewBuilder(build.Config{Rebuilds: true, MediaCache: f.cache.folder(), Cards: true})
	mem := outdir.NewMemory()
	return func(changes *build.Changes) {
		start := time.Now()
		siteFS, done := openSite(f.site)
		defer done()
		r, err := builder.Run(ctx, siteFS, build.Options{BaseURL: url, Drafts: f.drafts, Theme: defaultTheme, Changes: changes}, mem)
		if ctx.Err() != nil {
			return
		}
		srv.Publish(mem.Files(), err)
		if err != nil {
			diagOut.printDiagnostics(stderr, err, failedLine(err))
			return
		}
		s := r.Stats
		fmt.Fprintf(stdout, "Built %d pages (%d articles) in %s.\n", s.Pages, s.Articles, time.Since(start).Round(time.Millisecond))
	}
}

// watching is serve's watcher, running on its own goroutine.
type watching struct {
	ready chan struct{} // closed after the first build
	done  chan struct{} // closed when watch.Run has returned
	err   error         // what it returned; read it after done
}

// startWatching builds once the watches are in place, then on every
// change, until ctx is done.
func startWatching(ctx context.Context, f serveFlags, rebuild func(*build.Changes), stdout, stderr io.Writer) *watching {
	w := &watching{ready: make(chan struct{}), done: make(chan struct{})}
	opts := watchOptions(f.site, "", f.poll, stderr)
	opts.Ready = func() { rebuild(nil); close(w.ready) } // watches first, then the first build
	go func() {
		defer close(w.done)
		w.err = watch.Run(ctx, opts, func(b watch.Batch) {
			fmt.Fprintf(stdout, "%s: %s\n", time.Now().Format("15:04:05"), describeBatch(b))
			rebuild(changesOf(b))
		})
	}()
	return w
}

// stopServing ends the live-reload streams first: they last as long as
// their pages, and Shutdown waits for running requests. Requests still
// running when its timeout ends are cut off.
func stopServing(srv *serve.Server, httpServer *http.Server) {
	srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if httpServer.Shutdown(ctx) != nil {
		_ = httpServer.Close()
	}
}

// browsableAddr turns a wildcard listen address into one a browser on
// this machine can open.
func browsableAddr(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil || !serve.BindsAllInterfaces(addr) {
		return addr
	}
	return net.JoinHostPort("localhost", port)
}

func openBrowser(url string, stderr io.Writer) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "dealsite: cannot open a browser (%v); open %s yourself\n", err, url)
		return
	}
	go func() { _ = cmd.Wait() }()
}
