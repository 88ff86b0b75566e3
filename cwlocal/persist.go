package cwlocal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
)

// journalFile is the name of the journal inside the [WithDir] folder. Each
// line is one journalRec; replaying them in order rebuilds the state. An
// append-only journal keeps deletes and re-creates correct without
// rewriting files, and one file sidesteps stream names that are not valid
// file names (they may hold "/" and be 512 characters long).
const journalFile = "journal.jsonl"

const (
	recGroup        = "group"
	recStream       = "stream"
	recEvent        = "event"
	recRetention    = "retention"
	recTags         = "tags"
	recDeleteGroup  = "delete-group"
	recDeleteStream = "delete-stream"
)

type journalRec struct {
	Op        string            `json:"op"`
	Group     string            `json:"group"`
	Stream    string            `json:"stream,omitempty"`
	Time      int64             `json:"time,omitempty"` // creation or ingestion time (ms)
	Timestamp int64             `json:"timestamp,omitempty"`
	Message   string            `json:"message,omitempty"`
	Retention int32             `json:"retention,omitempty"`
	Class     string            `json:"class,omitempty"`
	KMSKeyID  string            `json:"kmsKeyId,omitempty"`
	Tags      map[string]string `json:"tags,omitempty"`
}

// openJournal replays dir's journal into st and opens it for appending.
func openJournal(dir string, st *state) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cwlocal: %w", err)
	}
	path := filepath.Join(dir, journalFile)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("cwlocal: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 4*MaxEventBytes)
	for line := 1; sc.Scan(); line++ {
		var r journalRec
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("cwlocal: %s line %d: %w", path, line, err)
		}
		st.replay(r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("cwlocal: %s: %w", path, err)
	}
	st.stats = Stats{} // Stats count this run only
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cwlocal: %w", err)
	}
	return f, nil
}

// replay applies one journal record. Records naming missing resources are
// skipped, so a journal cut short by a crash still loads.
func (st *state) replay(r journalRec) {
	g := st.groups[r.Group]
	switch r.Op {
	case recGroup:
		st.addGroup(r.Group, r.Time, r.Class, r.KMSKeyID, r.Tags)
		return
	case recDeleteGroup:
		delete(st.groups, r.Group)
		return
	}
	if g == nil {
		return
	}
	switch r.Op {
	case recStream:
		st.addStream(g, r.Stream, r.Time)
	case recDeleteStream:
		delete(g.streams, r.Stream)
	case recRetention:
		g.retention = r.Retention
	case recTags:
		g.tags = r.Tags
		if g.tags == nil {
			g.tags = make(map[string]string)
		}
	case recEvent:
		if s := g.streams[r.Stream]; s != nil {
			st.addEvents(g, s, []Event{{Timestamp: r.Timestamp, Message: r.Message}}, r.Time, true)
		}
	}
}

// journal appends records to the journal, if any. It requires s.mu, which
// also orders the lines. A write error is logged, not returned: the
// in-memory state is already updated and stays the source of truth.
func (s *Server) journal(recs ...journalRec) {
	if s.jf == nil {
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		_ = enc.Encode(r)
	}
	if _, err := s.jf.Write(buf.Bytes()); err != nil {
		log.Printf("cwlocal: journal: %v", err)
	}
}
