// Package cloudwatch is the watchtower handler for Go: it ships log records
// to Amazon CloudWatch Logs with aws-sdk-go-v2, as Python's
// watchtower.CloudWatchLogHandler does, without ever making a log call wait
// on the network, and without losing an event it does not count.
//
// # Use
//
// Through the registry, a dictConfig handler section with class
// "watchtower.CloudWatchLogHandler" (or "cloudwatch") reaches [Factory],
// which takes watchtower's argument names:
//
//	[handlers.watchtower]
//	class       = "watchtower.CloudWatchLogHandler"
//	log_group   = "CWOSLogs"
//	stream_name = "logs-${ENV:-local}"
//	region      = "us-west-2"
//
// From Go, [New] takes [Options], whose zero value means every default, and
// the [Handler] is also a logrus.Hook:
//
//	h, err := cloudwatch.New(ctx, cloudwatch.Options{LogGroup: "app"})
//	logrus.AddHook(h)
//	defer h.Close(context.Background())
//
// # Delivery
//
// Emit and Fire copy the formatted record into a queue bounded by events
// and by bytes, and return. One owner goroutine cuts batches by the
// PutLogEvents rules (10,000 events, 1,048,576 bytes counted as CloudWatch
// counts them, 24 hours, sorted by time) for each stream, and a few sender
// goroutines ([Options.Senders]) make the calls. A batch leaves when full
// or [Options.SendInterval] after its first event. Throttling, 5xx answers,
// timeouts and broken connections are retried with jittered exponential
// backoff until the batch is sent or Close gives up; a missing group or
// stream is created and the batch sent again. Delivery is at least once: a
// response lost after the service stored the batch causes a duplicate;
// Stats.Unanswered counts the events of such calls, the upper bound of
// duplicates.
//
// # Accounting
//
// Every event ends in exactly one counter of [Stats]: sent, dropped (queue
// full, empty message, logged after Close, refused as invalid, or
// undeliverable) or rejected (outside CloudWatch's time window, filtered
// before sending or reported by the service), or it is still held. Drops
// and rejections are reported through [Options.OnError], aggregated at
// most once a second; by default, as rate-limited lines on stderr.
//
// # Shutdown
//
// [Handler.Flush] and [Handler.Close] honour their context's deadline and
// say how many events did not make it ([UndeliveredError]). Close without
// a deadline uses [Options.ShutdownTimeout]. New registers a logrus exit
// handler so that logrus's Fatal closes the handler before the process
// exits. The design is explained in DESIGN.md beside this file.
package cloudwatch
