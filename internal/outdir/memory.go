package outdir

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
)

// Memory is a target that holds a build's files in memory, for serve
// and tests: the same transactions as a Folder, without a disk. Each
// commit replaces its Files whole; Files already handed out never
// change.
type Memory struct {
	mu      sync.Mutex
	files   *Files
	running bool
	commits uint64 // the last commit's ID (see nextCommit)
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{files: &Files{}, commits: rand.Uint64()} }

// Files is what the last commit left.
func (m *Memory) Files() *Files {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files
}

// Begin starts a transaction; nothing stands in the way in memory, so
// produced is needed only for KeepRest.
func (m *Memory) Begin(ctx context.Context, produced []string) (Tx, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.running {
		return nil, errors.New("outdir: a transaction is already running in memory")
	}
	m.running = true
	return &memoryTx{ctx: ctx, m: m, last: m.files, produced: produced, files: make(map[string][]byte, len(produced)), sums: map[string]uint64{}}, nil
}

// Files is a built site held in memory: output paths (slash-separated,
// relative to the output root) and their bytes. It never changes.
type Files struct {
	files    map[string][]byte
	sums     map[string]uint64 // of the files put with one
	commit   uint64            // the commit that made them, 0 for none
	produced []string          // as given to Begin
}

// Paths lists every file, sorted.
func (f *Files) Paths() []string { return sortedKeys(f.files) }

// File returns the bytes of one file.
func (f *Files) File(p string) ([]byte, bool) {
	b, ok := f.files[p]
	return b, ok
}

// memoryTx is a transaction on a Memory.
type memoryTx struct {
	ctx      context.Context
	m        *Memory
	last     *Files
	produced []string
	keepRest bool // KeepRest was granted

	mu    sync.Mutex
	files map[string][]byte
	sums  map[string]uint64
	kept  int
	done  bool
}

func (tx *memoryTx) Put(p string, data []byte) error {
	if err := tx.ctx.Err(); err != nil {
		return err
	}
	tx.mu.Lock()
	defer tx.mu.Unlock()
	tx.files[p] = data
	return nil
}

func (tx *memoryTx) PutSum(p string, data []byte, sum uint64) error {
	if err := tx.Put(p, data); err != nil {
		return err
	}
	tx.mu.Lock()
	defer tx.mu.Unlock()
	tx.sums[p] = sum
	return nil
}

func (tx *memoryTx) Stream(p string, write func(io.Writer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	return tx.Put(p, b.Bytes())
}

func (tx *memoryTx) KeepRest(commit uint64) bool {
	if commit == 0 || commit != tx.last.commit {
		return false
	}
	tx.keepRest = true
	return true
}

// keepRestOf takes every produced file neither put nor streamed from
// the last Files: an error if they lack one, which KeepRest's caller
// promised they held. When the same files are produced (a text edit),
// the last Files are copied whole and the files put laid over them,
// which costs far less than a map lookup per file.
func (tx *memoryTx) keepRestOf() error {
	if !tx.keepRest {
		return nil
	}
	if slices.Equal(tx.produced, tx.last.produced) {
		files, sums := maps.Clone(tx.last.files), maps.Clone(tx.last.sums)
		maps.Copy(files, tx.files)
		for p := range tx.files {
			delete(sums, p) // put without a sum, perhaps
		}
		maps.Copy(sums, tx.sums)
		tx.kept = len(files) - len(tx.files)
		tx.files, tx.sums = files, sums
		return nil
	}
	for _, p := range tx.produced {
		if _, ok := tx.files[p]; ok {
			continue
		}
		data, ok := tx.last.files[p]
		if !ok {
			return fmt.Errorf("outdir: %s was neither put nor kept", p)
		}
		tx.files[p] = data
		if sum, ok := tx.last.sums[p]; ok {
			tx.sums[p] = sum
		}
		tx.kept++
	}
	return nil
}

// Commit makes the files the Memory's Files. Written counts the files
// put or streamed, Unchanged those kept, Removed those of the last
// Files that are gone.
func (tx *memoryTx) Commit() (Stats, error) {
	tx.m.mu.Lock()
	defer tx.m.mu.Unlock()
	defer tx.end()
	if err := tx.ctx.Err(); err != nil {
		return Stats{}, fmt.Errorf("%w (%w)", err, ErrNothingWritten)
	}
	if err := tx.keepRestOf(); err != nil {
		return Stats{}, fmt.Errorf("%w (%w)", err, ErrNothingWritten)
	}
	ws := Stats{Written: len(tx.files) - tx.kept, Unchanged: tx.kept, Commit: nextCommit(&tx.m.commits)}
	if tx.keepRest && slices.Equal(tx.produced, tx.last.produced) {
		// Nothing removed, and no need to look.
	} else {
		for p := range tx.last.files {
			if _, ok := tx.files[p]; !ok {
				ws.Removed++
			}
		}
	}
	tx.m.files = &Files{files: tx.files, sums: tx.sums, commit: ws.Commit, produced: tx.produced}
	return ws, nil
}

func (tx *memoryTx) Discard() {
	tx.m.mu.Lock()
	defer tx.m.mu.Unlock()
	tx.end()
}

func (tx *memoryTx) end() {
	if !tx.done {
		tx.done = true
		tx.m.running = false
	}
}
