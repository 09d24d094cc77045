package serve

import (
	"bytes"
	"encoding/json"
	"html"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	_ "embed"

	"github.com/dealsite/dealsite/internal/diag"
	"github.com/dealsite/dealsite/internal/outdir"
)

// ReservedPrefix is the URL path of the server's own endpoints; no site
// page can live there.
const ReservedPrefix = "/__dealsite/"

//go:embed reload.js
var reloadScript []byte

// snapshot is one immutable state of the site being served.
type snapshot struct {
	id     uint64
	out    *outdir.Files // the last good build; nil before the first
	errors []string      // problems of the newest build; nil when it was good
}

// Server serves snapshots. Create it with New.
type Server struct {
	current atomic.Pointer[snapshot]
	hub     *hub
	hosts   map[string]bool // allowed Host headers; nil allows any
	handler http.Handler
	nextID  atomic.Uint64

	closing   chan struct{} // closed by Close: event streams end
	closeOnce sync.Once
}

// New returns a server for a site listening on addr (the listener's real
// address, e.g. "127.0.0.1:1313"). When addr binds all interfaces, any
// Host header is accepted; otherwise only addr and localhost names.
func New(addr string) *Server {
	s := &Server{hub: newHub(), hosts: allowedHosts(addr), closing: make(chan struct{})}
	s.current.Store(&snapshot{})
	mux := http.NewServeMux()
	mux.HandleFunc(ReservedPrefix+"events", s.events)
	mux.HandleFunc(ReservedPrefix+"reload.js", s.script)
	mux.HandleFunc("/", s.page)
	s.handler = s.guard(mux)
	return s
}

// BindsAllInterfaces reports whether addr listens on every interface,
// which lets other machines reach the server.
func BindsAllInterfaces(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "" || (ip != nil && ip.IsUnspecified())
}

func allowedHosts(addr string) map[string]bool {
	if BindsAllInterfaces(addr) {
		return nil
	}
	host, port, _ := net.SplitHostPort(addr)
	hosts := map[string]bool{}
	for _, name := range []string{host, "localhost", "127.0.0.1", "[::1]", "::1"} {
		hosts[strings.ToLower(name)] = true
		hosts[strings.ToLower(net.JoinHostPort(strings.Trim(name, "[]"), port))] = true
	}
	return hosts
}

// Handler is the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Publish makes the result of a build current. With err == nil, out
// replaces the site; otherwise the previous site stays and err's
// problems are shown on every page. Clients are told only after the
// snapshot is in place.
func (s *Server) Publish(out *outdir.Files, err error) {
	prev := s.current.Load()
	next := &snapshot{id: s.nextID.Add(1), out: prev.out}
	event := message{ID: next.id}
	if err != nil {
		next.errors = errorLines(err)
		event.Type, event.Errors = "errors", next.errors
	} else {
		next.out = out
		event.Type = "reload"
		event.CSSOnly = prev.out != nil && prev.errors == nil && onlyCSSChanged(prev.out, out)
	}
	s.current.Store(next)
	s.hub.broadcast(event)
}

// Close ends every live-reload event stream, those open now and those
// opened later. Call it before the http.Server's Shutdown: Shutdown
// waits for running requests, and a stream never ends by itself while
// its page is open. Pages reconnect on their own once a server is back.
// Pages and the script are still served after Close.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.closing) }) }

// BuildID is the id of the current snapshot (0 before the first build).
func (s *Server) BuildID() uint64 { return s.current.Load().id }

func errorLines(err error) []string {
	var list diag.List
	list.Merge(err)
	lines := make([]string, 0, len(list))
	for _, d := range list {
		lines = append(lines, d.Error())
	}
	return lines
}

// onlyCSSChanged reports whether two builds differ in .css files only.
func onlyCSSChanged(a, b *outdir.Files) bool {
	pa, pb := a.Paths(), b.Paths()
	if len(pa) != len(pb) {
		return false
	}
	changed := false
	for i, p := range pa {
		if pb[i] != p {
			return false
		}
		x, _ := a.File(p)
		y, _ := b.File(p)
		if !bytes.Equal(x, y) {
			if path.Ext(p) != ".css" {
				return false
			}
			changed = true
		}
	}
	return changed
}

// guard applies the method and Host rules and the no-store policy to
// every request.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if s.hosts != nil && !s.hosts[strings.ToLower(r.Host)] {
			http.Error(w, "dealsite serve: unexpected Host header "+strconv.Quote(r.Host)+"; open the address the server printed", http.StatusMisdirectedRequest)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// page serves a file of the current build, the folder's index.html for
// paths ending in '/', a redirect to add the '/' for folders, and the
// site's 404.html with status 404 for anything else.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	snap := s.current.Load()
	if snap.out == nil {
		s.waiting(w, snap)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if strings.HasSuffix(r.URL.Path, "/") && name != "" {
		name += "/"
	}
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	data, ok := snap.out.File(name)
	if !ok {
		if _, isDir := snap.out.File(name + "/index.html"); isDir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		s.notFound(w, r, snap)
		return
	}
	s.send(w, r, snap, name, data, http.StatusOK)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, snap *snapshot) {
	data, ok := snap.out.File("404.html")
	if !ok {
		data = []byte("<!DOCTYPE html><title>Not found</title><h1>Not found</h1>")
	}
	s.send(w, r, snap, "404.html", data, http.StatusNotFound)
}

// send writes one file, injecting the reload script (and the error
// overlay, if any) into HTML.
func (s *Server) send(w http.ResponseWriter, r *http.Request, snap *snapshot, name string, data []byte, status int) {
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, snap)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// waiting answers before the first good build: the errors, if any, and
// the reload script, so the page comes alive once the site builds.
func (s *Server) waiting(w http.ResponseWriter, snap *snapshot) {
	page := []byte("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dealsite: waiting for a good build</title></head><body><h1>Waiting for a good build</h1></body></html>")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = w.Write(inject(page, snap))
}

// inject adds the reload script and, when the newest build failed, the
// error overlay just before </body> (or at the end).
func inject(page []byte, snap *snapshot) []byte {
	var add bytes.Buffer
	if len(snap.errors) > 0 {
		add.WriteString(overlayHTML(snap.errors))
	}
	add.WriteString(`<script src="` + ReservedPrefix + `reload.js" data-build="` + strconv.FormatUint(snap.id, 10) + `" defer></script>`)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+add.Len())
	out = append(out, page[:i]...)
	out = append(out, add.Bytes()...)
	return append(out, page[i:]...)
}

// overlayHTML lists the errors; reload.js builds the same markup for
// errors that arrive while a page is open.
func overlayHTML(lines []string) string {
	var b strings.Builder
	b.WriteString(`<div id="dealsite-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #ff6b6b">`)
	b.WriteString(`<strong>The site did not build. The last good version is shown. Fix these and save:</strong><ul style="margin:.5rem 0 0;padding-left:1.25rem">`)
	for _, l := range lines {
		b.WriteString("<li>" + html.EscapeString(l) + "</li>")
	}
	b.WriteString("</ul></div>")
	return b.String()
}

func (s *Server) script(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(reloadScript)
}

// message is one Server-Sent Event to the pages.
type message struct {
	Type    string   `json:"type"` // "reload" or "errors"
	ID      uint64   `json:"id"`
	CSSOnly bool     `json:"cssOnly,omitempty"`
	Errors  []string `json:"errors,omitempty"`
}

func (m message) encode() []byte {
	b, _ := json.Marshal(m)
	return []byte("event: " + m.Type + "\ndata: " + string(b) + "\n\n")
}
