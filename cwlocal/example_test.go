package cwlocal_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/logdict/logging/cwlocal"
)

// Example points the real aws-sdk-go-v2 client at a local server, writes a
// few events and reads them back through the API and through the server.
func Example() {
	srv := cwlocal.New()
	defer srv.Close()

	client := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:       "us-west-2",
		BaseEndpoint: aws.String(srv.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
	})
	ctx := context.Background()
	group, stream := aws.String("/demo/app"), aws.String("web-1")
	if _, err := client.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: group}); err != nil {
		panic(err)
	}
	if _, err := client.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: group, LogStreamName: stream}); err != nil {
		panic(err)
	}
	now := time.Now().UnixMilli()
	_, err := client.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: group, LogStreamName: stream,
		LogEvents: []types.InputLogEvent{
			{Timestamp: aws.Int64(now), Message: aws.String("hello")},
			{Timestamp: aws.Int64(now + 1), Message: aws.String("ERROR something broke")},
		},
	})
	if err != nil {
		panic(err)
	}

	out, err := client.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
		LogGroupName: group, FilterPattern: aws.String("ERROR")})
	if err != nil {
		panic(err)
	}
	for _, e := range out.Events {
		fmt.Println("filtered:", *e.LogStreamName, *e.Message)
	}
	for _, e := range srv.Events("/demo/app", "web-1") {
		fmt.Println("stored:", e.Message)
	}
	fmt.Println("PutLogEvents calls:", srv.Requests("PutLogEvents"))
	// Output:
	// filtered: web-1 ERROR something broke
	// stored: hello
	// stored: ERROR something broke
	// PutLogEvents calls: 1
}

// ExampleServer_FailNext makes the next PutLogEvents call fail with
// throttling; the SDK reports it as *types.ThrottlingException.
func ExampleServer_FailNext() {
	srv := cwlocal.New()
	defer srv.Close()
	srv.CreateStream("g", "s")
	srv.FailNext("PutLogEvents", 1, cwlocal.Throttle)

	client := cloudwatchlogs.New(cloudwatchlogs.Options{
		Region:           "us-west-2",
		BaseEndpoint:     aws.String(srv.URL()),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDLOCAL", "secret", ""),
		RetryMaxAttempts: 1, // see the fault instead of the SDK retrying it
	})
	_, err := client.PutLogEvents(context.Background(), &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
		LogEvents: []types.InputLogEvent{{Timestamp: aws.Int64(time.Now().UnixMilli()), Message: aws.String("x")}},
	})
	var throttled *types.ThrottlingException
	fmt.Println(errors.As(err, &throttled), throttled.ErrorMessage())
	// Output: true Rate exceeded
}
