package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	logging "github.com/logdict/logging"
	"github.com/logdict/logging/cwlocal"
)

// The seed's request script: POST students to the API, as the blog post
// does with its REST client, then check that each "Student Created" line
// reached CloudWatch Logs group CWOSLogs, stream logs-<ENV>, formatted by
// the seed's aws formatter and naming this app's call site.
func TestRequestScriptLogsToCloudWatch(t *testing.T) {
	srv := cwlocal.New()
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", srv.URL())
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local-secret")
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("ENV", "demo")
	if err := logging.ConfigureBytes(logging.SeedConfig(), "toml"); err != nil {
		t.Fatal(err)
	}
	app := httptest.NewServer(newSchool().routes())
	defer app.Close()

	names := []string{"Arya Stark", "Jon Snow"}
	for i, name := range names {
		body, _ := json.Marshal(map[string]string{"name": name})
		resp, err := http.Post(app.URL+"/students/", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var got Student
		_ = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || got.PK != i+1 || got.Name != name {
			t.Fatalf("POST %s: %d %+v", name, resp.StatusCode, got)
		}
	}
	resp, err := http.Post(app.URL+"/students/", "application/json", bytes.NewReader([]byte(`{}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("empty name: %d", resp.StatusCode)
	}
	resp, err = http.Get(app.URL + "/students/")
	if err != nil {
		t.Fatal(err)
	}
	var list []Student
	_ = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list) != 2 {
		t.Fatalf("list: %+v", list)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := logging.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	events := srv.Events("CWOSLogs", "logs-demo")
	if len(events) != 3 {
		t.Fatalf("want 2 student lines and 1 warning, got %+v", events)
	}
	for i, name := range names {
		want := regexp.MustCompile(fmt.Sprintf(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[INFO    \] Student Created: %s \(PK: %d\) \[.*examples/demoschool/school\.go:\d+\]$`, name, i+1))
		if !want.MatchString(events[i].Message) {
			t.Errorf("event %d = %q, want %s", i, events[i].Message, want)
		}
	}
	if !regexp.MustCompile(`\[WARNING \] Bad student payload \[.*school\.go:\d+\]$`).MatchString(events[2].Message) {
		t.Errorf("event 2 = %q", events[2].Message)
	}
}
