package cwlocal_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/logdict/logging/cwlocal"
)

// BenchmarkPutLogEventsDiscard measures a full SDK round trip of a
// 1,000-event batch against a server in discard mode, as a load test uses it.
func BenchmarkPutLogEventsDiscard(b *testing.B) {
	srv := cwlocal.New(cwlocal.WithDiscard())
	defer srv.Close()
	srv.CreateStream("g", "s")
	cl := client(srv)
	evs := make([]types.InputLogEvent, 1000)
	for i := range evs {
		evs[i] = types.InputLogEvent{Message: aws.String(fmt.Sprintf("event %04d with some payload", i))}
	}
	in := &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: evs}
	b.ReportAllocs()
	for b.Loop() {
		ts := aws.Int64(time.Now().UnixMilli())
		for i := range evs {
			evs[i].Timestamp = ts
		}
		if _, err := cl.PutLogEvents(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Stats().Events)/b.Elapsed().Seconds(), "events/s")
}
