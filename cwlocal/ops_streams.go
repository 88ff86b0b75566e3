package cwlocal

import (
	"cmp"
	"slices"
	"strings"
)

type streamJSON struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp *int64 `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  *int64 `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   *int64 `json:"lastIngestionTime,omitempty"`
	Arn                 string `json:"arn"`
	StoredBytes         int64  `json:"storedBytes"` // deprecated by AWS; always 0
}

// groupRef resolves the logGroupName / logGroupIdentifier pair of the read
// operations: exactly one must be set, and an identifier may be an ARN.
func groupRef(v *violations, name, ident *string) string {
	switch {
	case name != nil && ident != nil:
		v.add("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	case name != nil:
		v.groupName(name, "logGroupName")
		return *name
	case ident != nil:
		if g, ok := groupFromARN(*ident); ok {
			return g
		}
		v.groupName(ident, "logGroupIdentifier")
		return *ident
	default:
		v.add("Should provide either name or ARN of log group.")
	}
	return ""
}

// streamRef is the part of a request that names one log stream.
type streamRef struct {
	LogGroupName  *string `json:"logGroupName"`
	LogStreamName *string `json:"logStreamName"`
}

// check validates both names, as the API does before anything else, and
// records them on the call for the request log.
func (r *streamRef) check(c *call) (group, stream string, _ *apiError) {
	var v violations
	v.groupName(r.LogGroupName, "logGroupName")
	v.streamName(r.LogStreamName, "logStreamName")
	if err := v.err(); err != nil {
		return "", "", err
	}
	group, stream = *r.LogGroupName, *r.LogStreamName
	c.info.Group, c.info.Stream = group, stream
	return group, stream, nil
}

func (s *Server) createLogStream(c *call) (any, *apiError) {
	var in streamRef
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	group, stream, err := in.check(c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.groups[group]
	if g == nil {
		return nil, groupNotFound()
	}
	if g.streams[stream] != nil {
		return nil, clientError(CodeResourceAlreadyExists, msgStreamExists)
	}
	s.st.addStream(g, stream, c.now)
	s.journal(journalRec{Op: recStream, Group: group, Stream: stream, Time: c.now})
	return nil, nil
}

func (s *Server) deleteLogStream(c *call) (any, *apiError) {
	var in streamRef
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	group, stream, err := in.check(c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, _, err := s.st.lookup(group, stream, true)
	if err != nil {
		return nil, err
	}
	delete(g.streams, stream)
	s.journal(journalRec{Op: recDeleteStream, Group: group, Stream: stream})
	return nil, nil
}

func (s *Server) describeLogStreams(c *call) (any, *apiError) {
	var in struct {
		LogGroupName        *string `json:"logGroupName"`
		LogGroupIdentifier  *string `json:"logGroupIdentifier"`
		LogStreamNamePrefix *string `json:"logStreamNamePrefix"`
		OrderBy             string  `json:"orderBy"`
		Descending          bool    `json:"descending"`
		Limit               *int32  `json:"limit"`
		NextToken           *string `json:"nextToken"`
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var v violations
	group := groupRef(&v, in.LogGroupName, in.LogGroupIdentifier)
	if in.LogStreamNamePrefix != nil {
		v.str(*in.LogStreamNamePrefix, "logStreamNamePrefix", 1, maxNameLen, streamPattern, validStreamName)
	}
	if in.OrderBy != "" && in.OrderBy != "LogStreamName" && in.OrderBy != "LastEventTime" {
		v.add("Value '%s' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]", in.OrderBy)
	}
	v.intRange(in.Limit, "limit", 1, maxDescribeLimit)
	if err := v.err(); err != nil {
		return nil, err
	}
	byTime := in.OrderBy == "LastEventTime"
	if byTime && in.LogStreamNamePrefix != nil {
		return nil, invalidParam("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	c.info.Group = group
	s.mu.Lock()
	defer s.mu.Unlock()
	g, _, err := s.st.lookup(group, "", false)
	if err != nil {
		return nil, err
	}
	var list []*logStream
	for _, st := range g.streams {
		if in.LogStreamNamePrefix == nil || strings.HasPrefix(st.name, *in.LogStreamNamePrefix) {
			list = append(list, st)
		}
	}
	slices.SortFunc(list, func(a, b *logStream) int {
		if byTime {
			// Streams without events have no lastEventTimestamp; they sort as 0.
			if c := cmp.Compare(a.lastTS, b.lastTS); c != 0 {
				return c
			}
		}
		return strings.Compare(a.name, b.name)
	})
	if in.Descending {
		slices.Reverse(list)
	}
	lo, hi, next, err := page(in.NextToken, "streams", len(list), in.Limit, maxDescribeLimit)
	if err != nil {
		return nil, err
	}
	out := make([]streamJSON, 0, hi-lo)
	for _, st := range list[lo:hi] {
		j := streamJSON{LogStreamName: st.name, CreationTime: st.created,
			Arn: c.groupARN(group) + ":log-stream:" + st.name}
		if st.hasEvents {
			// Copies: the answer is encoded after s.mu is released.
			first, last, ingest := st.firstTS, st.lastTS, st.lastIngest
			j.FirstEventTimestamp, j.LastEventTimestamp, j.LastIngestionTime = &first, &last, &ingest
		}
		out = append(out, j)
	}
	return struct {
		LogStreams []streamJSON `json:"logStreams"`
		NextToken  *string      `json:"nextToken,omitempty"`
	}{out, next}, nil
}
