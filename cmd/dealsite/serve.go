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
	"github.com/dealsite/dealsite/internal/serve"
	"github.com/dealsite/dealsite/internal/watch"
)

type serveFlags struct {
	site, addr string
	format     string
	drafts     bool
	open       bool
	poll       time.Duration
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

func serveSite(ctx context.Context, f serveFlags, ln net.Listener, stdout, stderr io.Writer) error {
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
	builder := build.NewBuilder()
	rebuild := func() {
		start := time.Now()
		siteFS, done := openSite(f.site)
		defer done()
		out, err := builder.Build(ctx, siteFS, build.Options{BaseURL: url, Drafts: f.drafts, Theme: defaultTheme})
		if ctx.Err() != nil {
			return
		}
		srv.Publish(out, err)
		if err != nil {
			diagOut.printDiagnostics(stderr, err, failedLine(err))
			return
		}
		s := out.Stats()
		fmt.Fprintf(stdout, "Built %d pages (%d articles) in %s.\n", s.Pages, s.Articles, time.Since(start).Round(time.Millisecond))
	}
	ready := make(chan struct{})
	opts := watchOptions(f.site, "", f.poll, stderr)
	opts.Ready = func() { rebuild(); close(ready) } // watches first, then the first build
	watched := make(chan error, 1)
	go func() {
		watched <- watch.Run(ctx, opts, func(b watch.Batch) {
			fmt.Fprintf(stdout, "%s: %s\n", time.Now().Format("15:04:05"), describeBatch(b))
			rebuild()
		})
	}()
	select {
	case <-ready:
	case err := <-watched:
		return err
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
	case runErr = <-watched:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = httpServer.Shutdown(shutdown)
	if ctx.Err() != nil || errors.Is(runErr, http.ErrServerClosed) {
		return nil
	}
	return runErr
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
