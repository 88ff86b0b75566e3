package cwlocal

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

var groupClasses = []string{"STANDARD", "INFREQUENT_ACCESS", "DELIVERY"}

type groupJSON struct {
	LogGroupName      string `json:"logGroupName"`
	CreationTime      int64  `json:"creationTime"`
	RetentionInDays   *int32 `json:"retentionInDays,omitempty"`
	MetricFilterCount int    `json:"metricFilterCount"`
	Arn               string `json:"arn"`
	StoredBytes       int64  `json:"storedBytes"`
	KmsKeyID          string `json:"kmsKeyId,omitempty"`
	LogGroupClass     string `json:"logGroupClass"`
	LogGroupArn       string `json:"logGroupArn"`
}

func (s *Server) createLogGroup(c *call) (any, *apiError) {
	var in struct {
		LogGroupName  *string           `json:"logGroupName"`
		KmsKeyID      string            `json:"kmsKeyId"`
		Tags          map[string]string `json:"tags"`
		LogGroupClass string            `json:"logGroupClass"`
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var v violations
	v.groupName(in.LogGroupName, "logGroupName")
	if in.LogGroupClass != "" && !slices.Contains(groupClasses, in.LogGroupClass) {
		v.add("Value '%s' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
			in.LogGroupClass, strings.Join(groupClasses, ", "))
	}
	if len(in.Tags) > 50 {
		v.add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	name := *in.LogGroupName
	c.info.Group = name
	if strings.HasPrefix(name, "aws/") {
		return nil, invalidParam("Log group names cannot start with the reserved prefix 'aws/'.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.groups[name] != nil {
		return nil, clientError(CodeResourceAlreadyExists, msgGroupExists)
	}
	g := s.st.addGroup(name, c.now, in.LogGroupClass, in.KmsKeyID, in.Tags)
	s.journal(journalRec{Op: recGroup, Group: name, Time: c.now, Class: g.class, KMSKeyID: g.kmsKeyID, Tags: g.tags})
	return nil, nil
}

func (s *Server) deleteLogGroup(c *call) (any, *apiError) {
	name, err := decodeGroup(c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.groups[name] == nil {
		return nil, groupNotFound()
	}
	delete(s.st.groups, name)
	s.journal(journalRec{Op: recDeleteGroup, Group: name})
	return nil, nil
}

func (s *Server) describeLogGroups(c *call) (any, *apiError) {
	var in struct {
		LogGroupNamePrefix  *string `json:"logGroupNamePrefix"`
		LogGroupNamePattern *string `json:"logGroupNamePattern"`
		LogGroupClass       string  `json:"logGroupClass"`
		Limit               *int32  `json:"limit"`
		NextToken           *string `json:"nextToken"`
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var v violations
	if in.LogGroupNamePrefix != nil {
		v.str(*in.LogGroupNamePrefix, "logGroupNamePrefix", 1, maxNameLen, groupPattern, validGroupName)
	}
	v.intRange(in.Limit, "limit", 1, maxDescribeLimit)
	if err := v.err(); err != nil {
		return nil, err
	}
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, invalidParam("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []groupJSON
	for _, name := range sortedKeys(s.st.groups) {
		g := s.st.groups[name]
		switch {
		case in.LogGroupNamePrefix != nil && !strings.HasPrefix(name, *in.LogGroupNamePrefix),
			in.LogGroupNamePattern != nil && !strings.Contains(strings.ToLower(name), strings.ToLower(*in.LogGroupNamePattern)),
			in.LogGroupClass != "" && g.class != in.LogGroupClass:
			continue
		}
		j := groupJSON{LogGroupName: name, CreationTime: g.created, Arn: c.groupARN(name) + ":*",
			StoredBytes: g.storedBytes, KmsKeyID: g.kmsKeyID, LogGroupClass: g.class, LogGroupArn: c.groupARN(name)}
		if days := g.retention; days > 0 {
			j.RetentionInDays = &days // a copy: encoded after s.mu is released
		}
		out = append(out, j)
	}
	lo, hi, next, err := page(in.NextToken, "groups", len(out), in.Limit, maxDescribeLimit)
	if err != nil {
		return nil, err
	}
	return struct {
		LogGroups []groupJSON `json:"logGroups"`
		NextToken *string     `json:"nextToken,omitempty"`
	}{append([]groupJSON{}, out[lo:hi]...), next}, nil
}

func (s *Server) putRetentionPolicy(c *call) (any, *apiError) {
	var in struct {
		LogGroupName    *string `json:"logGroupName"`
		RetentionInDays *int32  `json:"retentionInDays"`
	}
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	var v violations
	v.groupName(in.LogGroupName, "logGroupName")
	v.retention(in.RetentionInDays)
	if err := v.err(); err != nil {
		return nil, err
	}
	return nil, s.setRetention(c, *in.LogGroupName, *in.RetentionInDays)
}

func (s *Server) deleteRetentionPolicy(c *call) (any, *apiError) {
	name, err := decodeGroup(c)
	if err != nil {
		return nil, err
	}
	return nil, s.setRetention(c, name, 0)
}

func (s *Server) setRetention(c *call, name string, days int32) *apiError {
	c.info.Group = name
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.groups[name]
	if g == nil {
		return groupNotFound()
	}
	g.retention = days
	s.journal(journalRec{Op: recRetention, Group: name, Retention: days})
	return nil
}

// groupFromARN accepts "arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]".
func groupFromARN(arn string) (string, bool) {
	_, name, ok := strings.Cut(arn, ":log-group:")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return "", false
	}
	return strings.TrimSuffix(name, ":*"), name != ""
}

// tagged runs fn on the group named by a tagging request, under s.mu.
func (s *Server) tagged(c *call, arn, name *string, fn func(g *logGroup) any) (any, *apiError) {
	var group string
	switch {
	case arn != nil:
		n, ok := groupFromARN(*arn)
		if !ok {
			return nil, invalidParam("Invalid resourceArn: %s", *arn)
		}
		group = n
	case name != nil:
		group = *name
	default:
		return nil, invalidParam("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null")
	}
	c.info.Group = group
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.groups[group]
	if g == nil {
		return nil, groupNotFound()
	}
	return fn(g), nil
}

type tagsIn struct {
	ResourceArn  *string           `json:"resourceArn"`
	LogGroupName *string           `json:"logGroupName"`
	Tags         map[string]string `json:"tags"`
	TagKeys      []string          `json:"tagKeys"`
}

type tagsOut struct {
	Tags map[string]string `json:"tags"`
}

func (s *Server) tagResource(c *call) (any, *apiError) {
	var in tagsIn
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	return s.tagged(c, in.ResourceArn, nil, func(g *logGroup) any {
		maps.Copy(g.tags, in.Tags)
		s.journal(journalRec{Op: recTags, Group: g.name, Tags: g.tags})
		return nil
	})
}

func (s *Server) untagResource(c *call) (any, *apiError) {
	var in tagsIn
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	return s.tagged(c, in.ResourceArn, nil, func(g *logGroup) any {
		for _, k := range in.TagKeys {
			delete(g.tags, k)
		}
		s.journal(journalRec{Op: recTags, Group: g.name, Tags: g.tags})
		return nil
	})
}

func (s *Server) listTagsForResource(c *call) (any, *apiError) {
	var in tagsIn
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	return s.tagged(c, in.ResourceArn, nil, func(g *logGroup) any { return tagsOut{maps.Clone(g.tags)} })
}

func (s *Server) listTagsLogGroup(c *call) (any, *apiError) {
	var in tagsIn
	if err := c.decode(&in); err != nil {
		return nil, err
	}
	if in.LogGroupName == nil {
		in.LogGroupName = new(string)
	}
	return s.tagged(c, nil, in.LogGroupName, func(g *logGroup) any { return tagsOut{maps.Clone(g.tags)} })
}

// page slices n sorted items for an offset-based nextToken of the given
// kind. limit nil means max. next is nil on the last page, which is how the
// SDK paginators and the CLI know to stop.
func page(token *string, kind string, n int, limit *int32, maxLimit int) (lo, hi int, next *string, err *apiError) {
	if token != nil {
		raw, derr := base64.RawURLEncoding.DecodeString(*token)
		rest, ok := strings.CutPrefix(string(raw), kind+"/")
		off, perr := strconv.Atoi(rest)
		if derr != nil || !ok || perr != nil || off < 0 {
			return 0, 0, nil, invalidParam(msgBadNextToken)
		}
		lo = min(off, n)
	}
	size := maxLimit
	if limit != nil {
		size = int(*limit)
	}
	hi = min(lo+size, n)
	if hi < n {
		t := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s/%d", kind, hi))
		next = &t
	}
	return lo, hi, next, nil
}

// decodeGroup decodes a request that names only a log group, checks the
// name as the API does, and records it on the call for the request log.
func decodeGroup(c *call) (string, *apiError) {
	var in struct {
		LogGroupName *string `json:"logGroupName"`
	}
	if err := c.decode(&in); err != nil {
		return "", err
	}
	var v violations
	v.groupName(in.LogGroupName, "logGroupName")
	if err := v.err(); err != nil {
		return "", err
	}
	c.info.Group = *in.LogGroupName
	return *in.LogGroupName, nil
}
