package dispatch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"siyang/plugins/textmine/classify"
)

// Files in the data folder.
const (
	ModelFile = "classifier.model"         // the trained model, loaded at start-up
	BaseFile  = "classifier_base.jsonl.gz" // examples imported from CSV, kept for retraining
	metaFile  = "classifier.meta.json"     // what the current model was trained on
)

// modelStore holds the live model; swapping it is atomic, so suggestions
// never see a half-loaded model.
type modelStore struct {
	dir     string
	current atomic.Pointer[classify.Model]
}

// load reads the model from the data folder, if there is one.
func (s *modelStore) load() error {
	f, err := os.Open(filepath.Join(s.dir, ModelFile))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	m, err := classify.Load(f)
	if err != nil {
		return fmt.Errorf("load %s: %w", ModelFile, err)
	}
	s.current.Store(m)
	return nil
}

// save writes the model atomically (temporary file, then rename) and makes it live.
func (s *modelStore) save(m *classify.Model, meta trainingMeta) error {
	if s.dir == "" {
		return fmt.Errorf("classifier: the data folder is not known yet")
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(s.dir, ModelFile), buf.Bytes()); err != nil {
		return err
	}
	metaJSON, _ := json.Marshal(meta)
	if err := writeAtomic(filepath.Join(s.dir, metaFile), metaJSON); err != nil {
		return err
	}
	s.current.Store(m)
	return nil
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// trainingMeta records what a model learnt from, so that a scheduled
// retrain can tell whether there is anything new.
type trainingMeta struct {
	BaseExamples    int `json:"base_examples"`
	HistoryExamples int `json:"history_examples"`
}

func (s *modelStore) meta() trainingMeta {
	var m trainingMeta
	if b, err := os.ReadFile(filepath.Join(s.dir, metaFile)); err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

// History answers the appeals whose category an operator confirmed (they
// were accepted with a category), labelled with the category's name.
func History(app core.App) ([]classify.Example, error) {
	var rows []struct {
		Title   string `db:"title"`
		Content string `db:"content"`
		Label   string `db:"label"`
	}
	err := app.DB().Select("a.title", "a.content", "c.name AS label").
		From("appeals a").
		InnerJoin("categories c", dbx.NewExp("c.id = a.category")).
		Where(dbx.NewExp("a.accepted_at != '' AND a.category != ''")).
		All(&rows)
	if err != nil {
		return nil, err
	}
	out := make([]classify.Example, len(rows))
	for i, r := range rows {
		out[i] = classify.Example{Text: r.Title + "\n" + r.Content, Label: r.Label}
	}
	return out, nil
}

// saveBase keeps imported CSV examples in the data folder for retraining.
func (s *modelStore) saveBase(examples []classify.Example) error {
	if s.dir == "" {
		return fmt.Errorf("classifier: the data folder is not known yet")
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	enc := json.NewEncoder(zw)
	for _, ex := range examples {
		if err := enc.Encode(ex); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(s.dir, BaseFile), buf.Bytes())
}

func (s *modelStore) base() ([]classify.Example, error) {
	f, err := os.Open(filepath.Join(s.dir, BaseFile))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var out []classify.Example
	dec := json.NewDecoder(zr)
	for dec.More() {
		var ex classify.Example
		if err := dec.Decode(&ex); err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

// resolveCategory maps a model label to a category: its name, its code,
// or one of its aliases.
func resolveCategory(app core.App, label string) (*core.Record, error) {
	label = strings.TrimSpace(label)
	for _, field := range []string{"name", "code"} {
		if c, err := app.FindFirstRecordByData("categories", field, label); err == nil {
			return c, nil
		}
	}
	list, err := app.FindRecordsByFilter("categories", "aliases ~ {:l}", "", 0, 0, dbx.Params{"l": label})
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		for _, a := range Keywords(c.GetString("aliases")) {
			if a == label {
				return c, nil
			}
		}
	}
	return nil, fmt.Errorf("no category named %q", label)
}
