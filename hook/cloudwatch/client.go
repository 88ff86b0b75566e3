package cloudwatch

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/smithy-go/logging"
)

// ErrNoRegion is returned by New when no AWS region is configured anywhere.
var ErrNoRegion = errors.New("no AWS region: set region (or AWS_REGION, or a profile that has one)")

// newClient builds a CloudWatch Logs client from the SDK's default chain,
// overridden by a. The SDK's retryer is off because the handler retries
// whole batches itself, with backoff bounded by Close's deadline (the
// default retryer gives up after 3 attempts and a token bucket, and counts
// LimitExceededException as throttling). The SDK's logging is off so that
// nothing it says can come back into the handler.
func newClient(ctx context.Context, a AWS) (*cloudwatchlogs.Client, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
		config.WithLogger(logging.Nop{}),
		config.WithClientLogMode(0),
	}
	if a.Region != "" {
		opts = append(opts, config.WithRegion(a.Region))
	}
	if a.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(a.Profile))
	}
	if a.AccessKeyID != "" {
		creds := aws.Credentials{
			AccessKeyID:     a.AccessKeyID,
			SecretAccessKey: a.SecretAccessKey,
			SessionToken:    a.SessionToken,
			Source:          "logdict configuration",
		}
		opts = append(opts, config.WithCredentialsProvider(aws.CredentialsProviderFunc(
			func(context.Context) (aws.Credentials, error) { return creds, nil })))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		// The SDK's messages name profiles and files, never secrets.
		return nil, fmt.Errorf("cloudwatch: loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("cloudwatch: %w", ErrNoRegion)
	}
	return cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) {
		if a.Endpoint != "" {
			o.BaseEndpoint = aws.String(a.Endpoint)
		}
	}), nil
}
