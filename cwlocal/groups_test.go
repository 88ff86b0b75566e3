package cwlocal_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

func TestGroupLifecycle(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	c := ctx(t)

	_, err := cl.CreateLogGroup(c, &cloudwatchlogs.CreateLogGroupInput{
		LogGroupName: aws.String("/app/web"), Tags: map[string]string{"team": "core"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.CreateLogGroup(c, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/app/web")})
	wantAPIError[*types.ResourceAlreadyExistsException](t, err, "The specified log group already exists")

	_, err = cl.PutRetentionPolicy(c, &cloudwatchlogs.PutRetentionPolicyInput{
		LogGroupName: aws.String("/app/web"), RetentionInDays: aws.Int32(7)})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cl.DescribeLogGroups(c, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.LogGroups) != 1 {
		t.Fatalf("got %d groups, want 1", len(out.LogGroups))
	}
	g := out.LogGroups[0]
	if aws.ToString(g.LogGroupName) != "/app/web" || aws.ToInt32(g.RetentionInDays) != 7 ||
		aws.ToString(g.Arn) != "arn:aws:logs:us-west-2:123456789012:log-group:/app/web:*" ||
		aws.ToString(g.LogGroupArn) != "arn:aws:logs:us-west-2:123456789012:log-group:/app/web" ||
		aws.ToInt64(g.CreationTime) == 0 || g.LogGroupClass != types.LogGroupClassStandard {
		t.Errorf("group = %+v", g)
	}

	if _, err := cl.DeleteRetentionPolicy(c, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: aws.String("/app/web")}); err != nil {
		t.Fatal(err)
	}
	out, _ = cl.DescribeLogGroups(c, &cloudwatchlogs.DescribeLogGroupsInput{})
	if out.LogGroups[0].RetentionInDays != nil {
		t.Errorf("retention after delete = %d, want none", *out.LogGroups[0].RetentionInDays)
	}

	tags, err := cl.ListTagsForResource(c, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: g.LogGroupArn})
	if err != nil || tags.Tags["team"] != "core" {
		t.Fatalf("ListTagsForResource = %v, %v", tags, err)
	}
	if _, err := cl.TagResource(c, &cloudwatchlogs.TagResourceInput{ResourceArn: g.LogGroupArn,
		Tags: map[string]string{"env": "test"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.UntagResource(c, &cloudwatchlogs.UntagResourceInput{ResourceArn: g.LogGroupArn,
		TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = cl.ListTagsForResource(c, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: g.LogGroupArn})
	if len(tags.Tags) != 1 || tags.Tags["env"] != "test" {
		t.Errorf("tags = %v, want env=test only", tags.Tags)
	}

	if _, err := cl.DeleteLogGroup(c, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/app/web")}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.DeleteLogGroup(c, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: aws.String("/app/web")})
	wantAPIError[*types.ResourceNotFoundException](t, err, "The specified log group does not exist.")
	if got := srv.Groups(); len(got) != 0 {
		t.Errorf("Groups() = %v after delete", got)
	}
}

func TestStreamLifecycle(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	c := ctx(t)

	_, err := cl.CreateLogStream(c, &cloudwatchlogs.CreateLogStreamInput{
		LogGroupName: aws.String("missing"), LogStreamName: aws.String("s")})
	wantAPIError[*types.ResourceNotFoundException](t, err, "The specified log group does not exist.")

	setup(t, cl, "g", "s1")
	_, err = cl.CreateLogStream(c, &cloudwatchlogs.CreateLogStreamInput{
		LogGroupName: aws.String("g"), LogStreamName: aws.String("s1")})
	wantAPIError[*types.ResourceAlreadyExistsException](t, err, "The specified log stream already exists")

	now := time.Now().UnixMilli()
	if _, err := put(t, cl, "g", "s1", ev(now, "a"), ev(now+5, "b")); err != nil {
		t.Fatal(err)
	}
	out, err := cl.DescribeLogStreams(c, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g")})
	if err != nil {
		t.Fatal(err)
	}
	s := out.LogStreams[0]
	if aws.ToString(s.LogStreamName) != "s1" || s.FirstEventTimestamp == nil ||
		aws.ToInt64(s.LastEventTimestamp)-aws.ToInt64(s.FirstEventTimestamp) != 5 ||
		s.LastIngestionTime == nil || s.CreationTime == nil ||
		aws.ToString(s.Arn) != "arn:aws:logs:us-west-2:123456789012:log-group:g:log-stream:s1" {
		t.Errorf("stream = %+v", s)
	}

	if _, err := cl.DeleteLogStream(c, &cloudwatchlogs.DeleteLogStreamInput{
		LogGroupName: aws.String("g"), LogStreamName: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.DeleteLogStream(c, &cloudwatchlogs.DeleteLogStreamInput{
		LogGroupName: aws.String("g"), LogStreamName: aws.String("s1")})
	wantAPIError[*types.ResourceNotFoundException](t, err, "The specified log stream does not exist.")
	if got := srv.Streams("g"); len(got) != 0 {
		t.Errorf("Streams() = %v after delete", got)
	}
}

func TestDescribePagination(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	c := ctx(t)
	for i := range 120 {
		srv.CreateStream(fmt.Sprintf("g%03d", i), "x")
	}
	var names []string
	pages := 0
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(cl, &cloudwatchlogs.DescribeLogGroupsInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range out.LogGroups {
			names = append(names, *g.LogGroupName)
		}
	}
	if pages != 3 || len(names) != 120 || !slices.IsSorted(names) {
		t.Errorf("pages = %d, groups = %d (sorted %v), want 3 pages of 120 sorted groups",
			pages, len(names), slices.IsSorted(names))
	}

	// Streams ordered by last event time, newest first, 7 per page.
	now := time.Now().UnixMilli()
	for i := range 20 {
		name := fmt.Sprintf("s%02d", i)
		srv.CreateStream("g000", name)
		// Stream i gets timestamp now-i: s00 is the newest.
		if _, err := put(t, cl, "g000", name, ev(now-int64(i), "m")); err != nil {
			t.Fatal(err)
		}
	}
	var streams []string
	sp := cloudwatchlogs.NewDescribeLogStreamsPaginator(cl, &cloudwatchlogs.DescribeLogStreamsInput{
		LogGroupName: aws.String("g000"), OrderBy: types.OrderByLastEventTime,
		Descending: aws.Bool(true), Limit: aws.Int32(7)})
	for sp.HasMorePages() {
		out, err := sp.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.LogStreams {
			if s.LastEventTimestamp != nil {
				streams = append(streams, *s.LogStreamName)
			}
		}
	}
	if len(streams) != 20 || streams[0] != "s00" || streams[19] != "s19" {
		t.Errorf("streams by time = %v", streams)
	}

	out, err := cl.DescribeLogStreams(c, &cloudwatchlogs.DescribeLogStreamsInput{
		LogGroupName: aws.String("g000"), LogStreamNamePrefix: aws.String("s1")})
	if err != nil || len(out.LogStreams) != 10 || out.NextToken != nil {
		t.Errorf("prefix s1: %d streams, token %v, err %v; want 10, nil", len(out.LogStreams), out.NextToken, err)
	}
}

func TestNameAndParameterValidation(t *testing.T) {
	srv := start(t)
	cl := client(srv)
	srv.CreateStream("g", "s")
	long := strings.Repeat("a", 513)
	tests := []struct {
		name string
		call func() error
		msg  string
	}{
		{"group pattern", func() error {
			_, err := cl.CreateLogGroup(ctx(t), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("bad:name")})
			return err
		}, `1 validation error detected: Value 'bad:name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`},
		{"group too long", func() error {
			_, err := cl.CreateLogGroup(ctx(t), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(long)})
			return err
		}, "1 validation error detected: Value '" + long + "' at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512"},
		{"group empty", func() error {
			_, err := cl.CreateLogGroup(ctx(t), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("")})
			return err
		}, "1 validation error detected: Value '' at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"reserved prefix", func() error {
			_, err := cl.CreateLogGroup(ctx(t), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("aws/x")})
			return err
		}, "Log group names cannot start with the reserved prefix 'aws/'."},
		{"stream colon", func() error {
			_, err := cl.CreateLogStream(ctx(t), &cloudwatchlogs.CreateLogStreamInput{
				LogGroupName: aws.String("g"), LogStreamName: aws.String("a:b")})
			return err
		}, "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*"},
		{"stream star and group", func() error {
			_, err := cl.CreateLogStream(ctx(t), &cloudwatchlogs.CreateLogStreamInput{
				LogGroupName: aws.String("g g"), LogStreamName: aws.String("a*")})
			return err
		}, "2 validation errors detected: Value 'g g' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; Value 'a*' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*"},
		{"retention value", func() error {
			_, err := cl.PutRetentionPolicy(ctx(t), &cloudwatchlogs.PutRetentionPolicyInput{
				LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(2)})
			return err
		}, "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]"},
		{"describe groups limit", func() error {
			_, err := cl.DescribeLogGroups(ctx(t), &cloudwatchlogs.DescribeLogGroupsInput{Limit: aws.Int32(51)})
			return err
		}, "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50"},
		{"order by time with prefix", func() error {
			_, err := cl.DescribeLogStreams(ctx(t), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"),
				OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("s")})
			return err
		}, "Cannot order by LastEventTime with a logStreamNamePrefix."},
		{"bad next token", func() error {
			_, err := cl.DescribeLogStreams(ctx(t), &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String("g"),
				NextToken: aws.String("garbage")})
			return err
		}, "The specified nextToken is invalid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError[*types.InvalidParameterException](t, tt.call(), tt.msg)
		})
	}
	// Retention values that must be accepted.
	for _, days := range []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653} {
		if _, err := cl.PutRetentionPolicy(ctx(t), &cloudwatchlogs.PutRetentionPolicyInput{
			LogGroupName: aws.String("g"), RetentionInDays: aws.Int32(days)}); err != nil {
			t.Errorf("retention %d: %v", days, err)
		}
	}
}
