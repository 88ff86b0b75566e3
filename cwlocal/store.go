package cwlocal

import (
	"maps"
	"slices"
	"sort"
)

// Event is one stored log event, as GetLogEvents returns it.
type Event struct {
	Timestamp     int64  // milliseconds since the Unix epoch, as sent
	Message       string // as decoded from the request
	IngestionTime int64  // server clock, in milliseconds, when it was stored
}

// Stats counts what PutLogEvents accepted since the server started. It is a
// plain copy; see [Server.Stats].
type Stats struct {
	Batches  int64 // successful PutLogEvents calls
	Events   int64 // events stored (or, with [WithDiscard], counted)
	Bytes    int64 // message bytes of those events, without the 26-byte overhead
	Rejected int64 // events rejected as too old, expired or too new
}

type storedEvent struct {
	Event
	seq uint64 // server-wide ingestion order; breaks ties and forms the eventId
}

type logStream struct {
	name       string
	created    int64
	hasEvents  bool
	firstTS    int64
	lastTS     int64
	lastIngest int64
	events     []storedEvent // sorted by (Timestamp, seq)
	uploads    int64         // drives the dummy nextSequenceToken
}

type logGroup struct {
	name        string
	created     int64
	retention   int32 // days; 0 means never expire
	class       string
	kmsKeyID    string
	tags        map[string]string
	streams     map[string]*logStream
	storedBytes int64
}

// state is the data behind the API. Every method requires Server.mu.
type state struct {
	groups map[string]*logGroup
	seq    uint64
	stats  Stats
}

func newState() *state { return &state{groups: make(map[string]*logGroup)} }

func (st *state) addGroup(name string, created int64, class, kms string, tags map[string]string) *logGroup {
	if class == "" {
		class = "STANDARD"
	}
	g := &logGroup{name: name, created: created, class: class, kmsKeyID: kms,
		tags: maps.Clone(tags), streams: make(map[string]*logStream)}
	if g.tags == nil {
		g.tags = make(map[string]string)
	}
	st.groups[name] = g
	return g
}

func (st *state) addStream(g *logGroup, name string, created int64) *logStream {
	s := &logStream{name: name, created: created}
	g.streams[name] = s
	return s
}

// addEvents stores a batch sorted by timestamp, ingested at ingest (ms).
// keep false counts the events without holding their messages.
func (st *state) addEvents(g *logGroup, s *logStream, batch []Event, ingest int64, keep bool) {
	if len(batch) == 0 {
		return
	}
	for _, e := range batch {
		st.seq++
		n := int64(len(e.Message))
		st.stats.Events++
		st.stats.Bytes += n
		g.storedBytes += n
		if !s.hasEvents || e.Timestamp < s.firstTS {
			s.firstTS = e.Timestamp
		}
		if !s.hasEvents || e.Timestamp > s.lastTS {
			s.lastTS = e.Timestamp
		}
		s.hasEvents = true
		if !keep {
			continue
		}
		se := storedEvent{Event{e.Timestamp, e.Message, ingest}, st.seq}
		if k := len(s.events); k == 0 || s.events[k-1].Timestamp <= e.Timestamp {
			s.events = append(s.events, se)
			continue
		}
		// A later call may carry older timestamps; keep stream order.
		i := sort.Search(len(s.events), func(i int) bool { return s.events[i].Timestamp > e.Timestamp })
		s.events = slices.Insert(s.events, i, se)
	}
	s.lastIngest = ingest
	s.uploads++
}

// lookup finds a group and optionally a stream, with the service's errors.
func (st *state) lookup(group, stream string, wantStream bool) (*logGroup, *logStream, *apiError) {
	g := st.groups[group]
	if g == nil {
		return nil, nil, groupNotFound()
	}
	if !wantStream {
		return g, nil, nil
	}
	s := g.streams[stream]
	if s == nil {
		return g, nil, streamNotFound()
	}
	return g, s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// Events returns a copy of the events stored in a stream, in stream order
// (by timestamp, then ingestion order), or nil if the stream does not exist
// or the server runs with [WithDiscard]. It is safe for concurrent use.
func (s *Server) Events(group, stream string) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.groups[group]
	if g == nil || g.streams[stream] == nil {
		return nil
	}
	evs := g.streams[stream].events
	out := make([]Event, len(evs))
	for i, e := range evs {
		out[i] = e.Event
	}
	return out
}

// Groups returns the names of all log groups, sorted. It is safe for
// concurrent use.
func (s *Server) Groups() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedKeys(s.st.groups)
}

// Streams returns the names of the streams of group, sorted, or nil if the
// group does not exist. It is safe for concurrent use.
func (s *Server) Streams(group string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.st.groups[group]; g != nil {
		return sortedKeys(g.streams)
	}
	return nil
}

// Stats returns the PutLogEvents counters. It is safe for concurrent use.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.stats
}

// CreateStream creates group and stream if they are missing, without
// validating the names, so tests can start from a known state. It is safe
// for concurrent use.
func (s *Server) CreateStream(group, stream string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowMS()
	g := s.st.groups[group]
	if g == nil {
		g = s.st.addGroup(group, now, "", "", nil)
		s.journal(journalRec{Op: recGroup, Group: group, Time: now})
	}
	if g.streams[stream] == nil {
		s.st.addStream(g, stream, now)
		s.journal(journalRec{Op: recStream, Group: group, Stream: stream, Time: now})
	}
}

// DeleteGroup deletes a log group and its streams, as if someone deleted it
// in the console mid-run; later calls that need it get
// ResourceNotFoundException. Deleting a missing group does nothing. It is
// safe for concurrent use.
func (s *Server) DeleteGroup(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.groups[name] != nil {
		delete(s.st.groups, name)
		s.journal(journalRec{Op: recDeleteGroup, Group: name})
	}
}
