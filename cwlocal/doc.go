// Package cwlocal is a local, in-process CloudWatch Logs-compatible server
// for tests, demos and the AWS CLI, in the spirit of net/http/httptest.
//
// It speaks the service's awsJson1_1 protocol on a loopback port, so the
// real aws-sdk-go-v2 client (or any SDK, or `aws logs --endpoint-url`)
// talks to it unchanged, and it validates requests the way the service
// does, answering with the same error codes, HTTP statuses and messages.
//
//	srv := cwlocal.New()
//	defer srv.Close()
//	client := cloudwatchlogs.New(cloudwatchlogs.Options{
//		Region:       "us-west-2",
//		BaseEndpoint: aws.String(srv.URL()),
//		Credentials:  credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
//	})
//
// # Operations
//
// CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy,
// DeleteRetentionPolicy, CreateLogStream, DeleteLogStream,
// DescribeLogStreams, PutLogEvents, GetLogEvents, FilterLogEvents,
// TagResource, UntagResource, ListTagsForResource and ListTagsLogGroup.
// Any other X-Amz-Target gets UnknownOperationException.
//
// # Fidelity
//
// Names follow the service's length and character rules. PutLogEvents
// enforces 1 to 10,000 events, 1,048,576 bytes per call (message bytes plus
// 26 per event, an invalid UTF-8 byte counting 3), 1 MB per event,
// non-empty messages, chronological order and a 24-hour span. Events more
// than 2 hours ahead, more than 14 days old or older than the group's
// retention are rejected through rejectedLogEventsInfo while the rest are
// stored. Sequence tokens are ignored, as AWS has done since 2023. The clock
// is injectable with [WithClock] to test these windows.
//
// Not modelled: SigV4 signature checks (see [WithAccessKeyID] for bad
// credentials), KMS, the deletion of expired events, metric and
// subscription filters, Logs Insights, and JSON or space-delimited filter
// patterns (refused with InvalidParameterException).
//
// # Faults
//
// [Server.FailNext] queues faults for the next calls of an operation:
// [Throttle], [ServiceUnavailable], any [ErrorFault], [Latency], [Hang],
// [ConnReset] and [AcceptThenDrop]. [Server.FailWhen] decides per request.
// [Server.SetLatency], [Server.Hang] and [Server.Resume] switch persistent
// modes, and [Server.DeleteGroup] removes a group mid-run.
//
// # Reading back
//
// [Server.Events], [Server.Groups] and [Server.Streams] return what was
// stored, [Server.Requests] counts calls per operation and [Server.Stats]
// counts accepted batches, events and bytes. With [WithDiscard] the server
// only counts, for load tests; with [WithDir] it persists a journal and
// reloads it at start. The command cwlocal runs a server standalone.
package cwlocal
