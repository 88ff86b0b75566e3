package cwlocal

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// maxPageBytes caps the messages returned by one Get/FilterLogEvents page,
// as the service does (1 MB or 10,000 events, whichever comes first).
const maxPageBytes = 1 << 20

type rejectedJSON struct {
	TooNewLogEventStartIndex *int `json:"tooNewLogEventStartIndex,omitempty"`
	TooOldLogEventEndIndex   *int `json:"tooOldLogEventEndIndex,omitempty"`
	ExpiredLogEventEndIndex  *int `json:"expiredLogEventEndIndex,omitempty"`
}

func optIndex(i int) *int {
	if i < 0 {
		return nil
	}
	return &i
}

func (s *Server) putLogEvents(c *call) (any, *apiError) {
	var in struct {
		streamRef
		LogEvents     []inputEvent `json:"logEvents"`
		SequenceToken *string      `json:"sequenceToken"` // ignored, as by AWS since 2023
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	group, stream, err := in.check(c)
	if err != nil {
		return nil, err
	}
	c.info.Events = len(in.LogEvents)
	if _, err := validateBatch(in.LogEvents); err != nil {
		return nil, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	g, st, err := s.st.lookup(group, stream, true)
	if err != nil {
		return nil, err
	}
	ts := make([]int64, len(in.LogEvents))
	for i, e := range in.LogEvents {
		ts[i] = *e.Timestamp
	}
	r := classify(ts, c.now, g.retention)
	if r.start < r.end && ts[r.end-1]-ts[r.start] > MaxBatchSpan.Milliseconds() {
		return nil, invalidParam(msgSpan)
	}
	batch := make([]Event, 0, r.end-r.start)
	for _, e := range in.LogEvents[r.start:r.end] {
		batch = append(batch, Event{Timestamp: *e.Timestamp, Message: *e.Message})
	}
	keep := !s.cfg.discard
	s.st.addEvents(g, st, batch, c.now, keep)
	s.st.stats.Batches++
	s.st.stats.Rejected += int64(len(ts) - len(batch))
	if keep && s.jf != nil {
		recs := make([]journalRec, len(batch))
		for i, e := range batch {
			recs[i] = journalRec{Op: recEvent, Group: group, Stream: stream, Time: c.now,
				Timestamp: e.Timestamp, Message: e.Message}
		}
		s.journal(recs...)
	}

	out := struct {
		NextSequenceToken     string        `json:"nextSequenceToken"`
		RejectedLogEventsInfo *rejectedJSON `json:"rejectedLogEventsInfo,omitempty"`
	}{NextSequenceToken: fmt.Sprintf("4959%052d", st.uploads)}
	if r.tooOld >= 0 || r.expired >= 0 || r.tooNewFrom >= 0 {
		out.RejectedLogEventsInfo = &rejectedJSON{optIndex(r.tooNewFrom), optIndex(r.tooOld), optIndex(r.expired)}
	}
	return out, nil
}

type outputEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

func (s *Server) getLogEvents(c *call) (any, *apiError) {
	var in struct {
		LogGroupName       *string `json:"logGroupName"`
		LogGroupIdentifier *string `json:"logGroupIdentifier"`
		LogStreamName      *string `json:"logStreamName"`
		StartTime          *int64  `json:"startTime"`
		EndTime            *int64  `json:"endTime"`
		NextToken          *string `json:"nextToken"`
		Limit              *int32  `json:"limit"`
		StartFromHead      bool    `json:"startFromHead"`
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var v violations
	group := groupRef(&v, in.LogGroupName, in.LogGroupIdentifier)
	v.streamName(in.LogStreamName, "logStreamName")
	v.intRange(in.Limit, "limit", 1, maxEventsLimit)
	if err := v.err(); err != nil {
		return nil, err
	}
	c.info.Group, c.info.Stream = group, *in.LogStreamName
	limit := maxEventsLimit
	if in.Limit != nil {
		limit = int(*in.Limit)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	_, st, err := s.st.lookup(group, *in.LogStreamName, true)
	if err != nil {
		return nil, err
	}
	evs := st.events
	// Positions are indices into the whole stream, clamped to the time
	// window [startTime, endTime), so a forward token keeps working as new
	// events are appended (tailing).
	lo, hi := 0, len(evs)
	if in.StartTime != nil {
		lo = sort.Search(len(evs), func(i int) bool { return evs[i].Timestamp >= *in.StartTime })
	}
	if in.EndTime != nil {
		hi = max(lo, sort.Search(len(evs), func(i int) bool { return evs[i].Timestamp >= *in.EndTime }))
	}
	forward := in.StartFromHead
	pos := lo
	if !forward {
		pos = hi
	}
	if in.NextToken != nil {
		dir, n, ok := parseGetToken(*in.NextToken)
		if !ok {
			return nil, invalidParam(msgBadNextToken)
		}
		forward, pos = dir == 'f', min(max(n, lo), hi)
	}
	from, to := pos, pos
	for size := 0; forward && to < hi && to-from < limit; to++ {
		if size += len(evs[to].Message); size > maxPageBytes && to > from {
			break
		}
	}
	for size := 0; !forward && from > lo && to-from < limit; from-- {
		if size += len(evs[from-1].Message); size > maxPageBytes && to > from {
			break
		}
	}
	out := make([]outputEvent, 0, to-from)
	for _, e := range evs[from:to] {
		out = append(out, outputEvent{e.Timestamp, e.Message, e.IngestionTime})
	}
	c.info.Events = len(out)
	return struct {
		Events            []outputEvent `json:"events"`
		NextForwardToken  string        `json:"nextForwardToken"`
		NextBackwardToken string        `json:"nextBackwardToken"`
	}{out, fmt.Sprintf("f/%d", to), fmt.Sprintf("b/%d", from)}, nil
}

func parseGetToken(t string) (dir byte, n int, ok bool) {
	if len(t) < 3 || (t[0] != 'f' && t[0] != 'b') || t[1] != '/' {
		return 0, 0, false
	}
	n, err := strconv.Atoi(t[2:])
	return t[0], n, err == nil && n >= 0
}

type filteredJSON struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

type searchedJSON struct {
	LogStreamName      string `json:"logStreamName"`
	SearchedCompletely bool   `json:"searchedCompletely"`
}

func (s *Server) filterLogEvents(c *call) (any, *apiError) {
	var in struct {
		LogGroupName        *string  `json:"logGroupName"`
		LogGroupIdentifier  *string  `json:"logGroupIdentifier"`
		LogStreamNames      []string `json:"logStreamNames"`
		LogStreamNamePrefix *string  `json:"logStreamNamePrefix"`
		StartTime           *int64   `json:"startTime"`
		EndTime             *int64   `json:"endTime"`
		FilterPattern       *string  `json:"filterPattern"`
		NextToken           *string  `json:"nextToken"`
		Limit               *int32   `json:"limit"`
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var v violations
	group := groupRef(&v, in.LogGroupName, in.LogGroupIdentifier)
	if in.LogStreamNames != nil && (len(in.LogStreamNames) < 1 || len(in.LogStreamNames) > 100) {
		v.add("Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and 100")
	}
	if in.FilterPattern != nil && len(*in.FilterPattern) > 1024 {
		v.add("Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to 1024")
	}
	v.intRange(in.Limit, "limit", 1, maxEventsLimit)
	if err := v.err(); err != nil {
		return nil, err
	}
	if in.LogStreamNames != nil && in.LogStreamNamePrefix != nil {
		return nil, invalidParam("You cannot specify both LogStreamNames and LogStreamNamePrefix.")
	}
	m, perr := parseFilter(deref(in.FilterPattern))
	if perr != nil {
		return nil, invalidParam("Invalid filter pattern: %v", perr)
	}
	var after key
	if in.NextToken != nil {
		k, ok := parseFilterToken(*in.NextToken)
		if !ok {
			return nil, invalidParam(msgBadNextToken)
		}
		after = k
	}
	limit := maxEventsLimit
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	c.info.Group = group

	s.mu.Lock()
	defer s.mu.Unlock()
	g, _, err := s.st.lookup(group, "", false)
	if err != nil {
		return nil, err
	}
	type hit struct {
		stream string
		ev     storedEvent
	}
	var hits []hit
	var searched []searchedJSON
	for _, name := range sortedKeys(g.streams) {
		if in.LogStreamNames != nil && !slices.Contains(in.LogStreamNames, name) ||
			in.LogStreamNamePrefix != nil && !strings.HasPrefix(name, *in.LogStreamNamePrefix) {
			continue
		}
		searched = append(searched, searchedJSON{name, true})
		for _, e := range g.streams[name].events {
			if in.StartTime != nil && e.Timestamp < *in.StartTime ||
				in.EndTime != nil && e.Timestamp > *in.EndTime ||
				in.NextToken != nil && !after.less(key{e.Timestamp, e.seq}) ||
				!m.match(e.Message) {
				continue
			}
			hits = append(hits, hit{name, e})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.ev.Timestamp, b.ev.Timestamp), cmp.Compare(a.ev.seq, b.ev.seq))
	})
	out := make([]filteredJSON, 0, min(len(hits), limit))
	size := 0
	for _, h := range hits {
		if size += len(h.ev.Message); len(out) == limit || size > maxPageBytes && len(out) > 0 {
			break
		}
		out = append(out, filteredJSON{h.stream, h.ev.Timestamp, h.ev.Message, h.ev.IngestionTime,
			fmt.Sprintf("%036d%020d", h.ev.Timestamp, h.ev.seq)})
	}
	var next *string
	if len(out) < len(hits) {
		last := hits[len(out)-1].ev
		t := key{last.Timestamp, last.seq}.token()
		next = &t
	}
	c.info.Events = len(out)
	return struct {
		Events             []filteredJSON `json:"events"`
		SearchedLogStreams []searchedJSON `json:"searchedLogStreams"`
		NextToken          *string        `json:"nextToken,omitempty"`
	}{out, searched, next}, nil
}

// key orders FilterLogEvents results: by timestamp, then ingestion order.
// The nextToken holds the last key returned, so paging stays correct while
// new events arrive.
type key struct {
	ts  int64
	seq uint64
}

func (k key) less(o key) bool { return k.ts < o.ts || k.ts == o.ts && k.seq < o.seq }

func (k key) token() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "filter/%d/%d", k.ts, k.seq))
}

func parseFilterToken(t string) (key, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return key{}, false
	}
	var k key
	_, err = fmt.Sscanf(string(raw), "filter/%d/%d", &k.ts, &k.seq)
	return k, err == nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
