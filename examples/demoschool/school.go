package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	logging "github.com/logdict/logging"
)

// logger is the seed's `logging.getLogger("watchtower")`, obtained before
// the configuration is applied, as Go package variables are.
var logger = logging.Get("watchtower")

// Student is the seed's model.
type Student struct {
	PK   int    `json:"pk"`
	Name string `json:"name"`
}

// school is the students "database": safe for concurrent requests.
type school struct {
	mu       sync.Mutex
	students []Student
}

func newSchool() *school { return &school{} }

func (s *school) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /students/", s.create)
	mux.HandleFunc("GET /students/", s.list)
	return mux
}

func (s *school) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&in); err != nil || strings.TrimSpace(in.Name) == "" {
		logger.WithField("remote", r.RemoteAddr).Warn("Bad student payload")
		http.Error(w, `{"name": ["This field is required."]}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	st := Student{PK: len(s.students) + 1, Name: strings.TrimSpace(in.Name)}
	s.students = append(s.students, st)
	s.mu.Unlock()

	logger.Infof("Student Created: %s (PK: %d)", st.Name, st.PK)

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(st)
}

func (s *school) list(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := append([]Student{}, s.students...)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
