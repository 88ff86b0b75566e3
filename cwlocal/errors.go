package cwlocal

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Error codes the server answers with. They are the __type values of the
// real service, which the SDKs map to their typed errors.
const (
	CodeInvalidParameter      = "InvalidParameterException"
	CodeResourceNotFound      = "ResourceNotFoundException"
	CodeResourceAlreadyExists = "ResourceAlreadyExistsException"
	CodeThrottling            = "ThrottlingException"
	CodeServiceUnavailable    = "ServiceUnavailableException"
	CodeUnrecognizedClient    = "UnrecognizedClientException"
	CodeUnknownOperation      = "UnknownOperationException"
	CodeSerialization         = "SerializationException"
)

// Messages of the real service, reused by tests.
const (
	msgGroupNotFound  = "The specified log group does not exist."
	msgStreamNotFound = "The specified log stream does not exist."
	msgGroupExists    = "The specified log group already exists"
	msgStreamExists   = "The specified log stream already exists"
	msgBadToken       = "The security token included in the request is invalid."
	msgBadNextToken   = "The specified nextToken is invalid."
)

// apiError is an error answer: an HTTP status and the awsJson1_1 error body.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func clientError(code, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: code, message: fmt.Sprintf(format, args...)}
}

func invalidParam(format string, args ...any) *apiError {
	return clientError(CodeInvalidParameter, format, args...)
}

func groupNotFound() *apiError  { return clientError(CodeResourceNotFound, msgGroupNotFound) }
func streamNotFound() *apiError { return clientError(CodeResourceNotFound, msgStreamNotFound) }

// writeError writes e the way AWS does: the code both in the
// x-amzn-ErrorType header (which aws-sdk-go-v2 reads first) and in the
// body's __type (which botocore and older SDKs read).
func writeError(w http.ResponseWriter, e *apiError) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.code, e.message})
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-amzn-ErrorType", e.code)
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

// violations collects model-constraint failures, which the service reports
// together as "N validation errors detected: a; b".
type violations []string

func (v *violations) add(format string, args ...any) {
	*v = append(*v, fmt.Sprintf(format, args...))
}

func (v *violations) notNull(path string) {
	v.add("Value null at '%s' failed to satisfy constraint: Member must not be null", path)
}

// str checks a string member's length and optional pattern.
func (v *violations) str(val, path string, minLen, maxLen int, pattern string, ok func(string) bool) {
	n := len([]rune(val))
	switch {
	case n < minLen:
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must have length greater than or equal to %d", val, path, minLen)
	case n > maxLen:
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", val, path, maxLen)
	case ok != nil && !ok(val):
		v.add("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", val, path, pattern)
	}
}

// intRange checks an optional integer member.
func (v *violations) intRange(val *int32, path string, lo, hi int32) {
	switch {
	case val == nil:
	case *val < lo:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *val, path, lo)
	case *val > hi:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *val, path, hi)
	}
}

func (v violations) err() *apiError {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return invalidParam("1 validation error detected: %s", v[0])
	}
	return invalidParam("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}
