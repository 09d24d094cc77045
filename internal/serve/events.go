package serve

import (
	"net/http"
	"sync"
	"time"
)

// heartbeat keeps idle event streams alive through proxies and lets the
// server notice clients that went away.
const heartbeat = 20 * time.Second

// hub fans build events out to every open event stream.
type hub struct {
	mu      sync.Mutex
	clients map[chan message]struct{}
}

func newHub() *hub { return &hub{clients: map[chan message]struct{}{}} }

func (h *hub) add() chan message {
	ch := make(chan message, 1)
	h.mu.Lock()
	h.clients[ch] = struct{}{}
	h.mu.Unlock()
	return ch
}

func (h *hub) remove(ch chan message) {
	h.mu.Lock()
	delete(h.clients, ch)
	h.mu.Unlock()
}

// Clients is the number of open event streams.
func (s *Server) Clients() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return len(s.hub.clients)
}

// broadcast never blocks: a slow client keeps only the newest message,
// which carries the newest build id, all it needs to catch up.
func (h *hub) broadcast(m message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case <-ch:
		default:
		}
		ch <- m
	}
}

// events streams build events to one page until it goes away or the
// server is closed. The first event says where the server is now, so a
// page that missed builds while disconnected reloads once.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := s.hub.add()
	defer s.hub.remove(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	snap := s.current.Load()
	hello := message{Type: "hello", ID: snap.id, Errors: snap.errors}
	if _, err := w.Write(hello.encode()); err != nil {
		return
	}
	flusher.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		var data []byte
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case m := <-ch:
			data = m.encode()
		case <-tick.C:
			data = []byte(": keep-alive\n\n")
		}
		if _, err := w.Write(data); err != nil {
			return
		}
		flusher.Flush()
	}
}
