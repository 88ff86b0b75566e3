package main

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/logdict/logging/hook/cloudwatch"
)

// ceilingLine is a line as the seed's format prints it, with a call site
// of the usual length.
func ceilingLine(c config) string {
	_, file, line, _ := runtime.Caller(0)
	s := time.Now().Format("2006-01-02 15:04:05") + " [INFO    ] " + seedLine
	if c.caller {
		s += " [" + file + ":" + itoa(line) + "]"
	}
	return s
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

// newClient is the client the handler builds: static credentials, the
// local endpoint, no SDK retries.
func newClient(url string) *cloudwatchlogs.Client {
	return cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-west-2",
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDCWBENCH", "cwbench-secret", ""),
		Retryer:      aws.NopRetryer{},
	})
}

// runCeiling sends c.n events as full batches (as many events as
// CloudWatch's 1 MiB and 10,000-event limits allow) from c.senders
// goroutines, each with its batch built in advance.
func runCeiling(c config, srv *server) (report, error) {
	r := report{Mode: "ceiling", N: c.n, Goroutines: 0, Senders: c.senders, Caller: c.caller,
		Format: c.pyFormat(), ServerSaw: -1, BytesPerBatch: -1}
	defer srv.close()
	cl := newClient(srv.url)
	ctx := context.Background()
	if err := ensureStream(ctx, cl); err != nil {
		return r, err
	}
	line := ceilingLine(c)
	per := min(cloudwatch.MaxBatchEvents, cloudwatch.MaxBatchBytes/(len(line)+cloudwatch.EventOverhead))
	build := func() []types.InputLogEvent {
		evs := make([]types.InputLogEvent, per)
		for i := range evs {
			evs[i].Message = aws.String(line)
		}
		return evs
	}
	put := func(evs []types.InputLogEvent) error {
		ts := aws.Int64(time.Now().UnixMilli())
		for i := range evs {
			evs[i].Timestamp = ts
		}
		_, err := cl.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
			LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: evs})
		return err
	}
	// Warm up one connection per sender.
	warm := build()[:min(per, max(c.warmup, 1))]
	for range c.senders {
		if err := put(warm); err != nil {
			return r, err
		}
	}
	sv0, haveSrv := srv.stats()

	stopProfile, err := c.startProfile()
	if err != nil {
		srv.close()
		return r, err
	}
	u0 := selfUsage()
	start := time.Now()
	var sent, batches atomic.Int64
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, c.senders)
	for i := range c.senders {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			evs := build()
			for {
				lo := next.Add(int64(per)) - int64(per)
				if lo >= int64(c.n) {
					return
				}
				k := min(int64(c.n)-lo, int64(per))
				if err := put(evs[:k]); err != nil {
					errs[i] = err
					return
				}
				sent.Add(k)
				batches.Add(1)
			}
		}(i)
	}
	wg.Wait()
	wall := time.Since(start)
	stopProfile()
	u := selfUsage().sub(u0)
	sv1, _ := srv.stats()
	if err := errors.Join(errs...); err != nil {
		return r, err
	}
	r.Wall, r.LogWall = seconds(wall), seconds(wall)
	r.CPU = seconds(u.cpu())
	r.ServerCPU = sv1.CPU - sv0.CPU
	r.PeakRSS = peakRSS()
	r.Logged, r.Delivered, r.Batches = int64(c.n), sent.Load(), batches.Load()
	r.Exact = r.Logged == r.Delivered
	if haveSrv {
		r.ServerSaw = sv1.Events - sv0.Events
		r.Exact = r.Exact && r.ServerSaw == r.Delivered
		srv.batchBytes(&r, sv1.Bytes-sv0.Bytes, r.ServerSaw, r.Batches)
	}
	r.EventsPerBatch = float64(r.Delivered) / float64(max(r.Batches, 1))
	r.EventsPerSec = float64(r.Delivered) / r.Wall
	r.CallsPerSec = r.EventsPerSec
	r.CPUPerMillion = r.CPU / float64(max(r.Delivered, 1)) * 1e6
	return r, nil
}

// ensureStream creates the group and stream if they are missing.
func ensureStream(ctx context.Context, cl *cloudwatchlogs.Client) error {
	exists := func(err error) bool {
		var ae smithy.APIError
		return err == nil || errors.As(err, &ae) && ae.ErrorCode() == "ResourceAlreadyExistsException"
	}
	_, err := cl.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
	if !exists(err) {
		return err
	}
	_, err = cl.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)})
	if !exists(err) {
		return err
	}
	return nil
}
