package classify

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
)

// File format: the 8-byte magic, a big-endian uint16 format version, then a
// gzip stream holding one gob-encoded fileV1. The version lets a later
// release refuse (or convert) a model it does not understand instead of
// misreading it.
const (
	fileMagic   = "SYCLSFY\x00"
	fileVersion = 1
)

// fileV1 is the stored form of a Model.
type fileV1 struct {
	Labels      []string
	Options     Options
	Terms       []string
	IDF         []float32
	W           []float32
	B           []float32
	Temperature float64
	TopPlatt    []float64 // A, B of the top-label curve; absent = identity
}

// Save writes the model in its versioned binary format.
func (m *Model) Save(w io.Writer) error {
	var hdr [len(fileMagic) + 2]byte
	copy(hdr[:], fileMagic)
	binary.BigEndian.PutUint16(hdr[len(fileMagic):], fileVersion)
	if _, err := w.Write(hdr[:]); err != nil {
		return fmt.Errorf("classify: save: %w", err)
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("classify: save: %w", err)
	}
	f := fileV1{
		Labels: m.labels, Options: m.opt, Terms: m.vocab.terms, IDF: m.vocab.idf,
		W: m.lin.w, B: m.lin.b, Temperature: m.calib.T, TopPlatt: []float64{m.calib.A, m.calib.B},
	}
	if err := gob.NewEncoder(zw).Encode(&f); err != nil {
		return fmt.Errorf("classify: save: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("classify: save: %w", err)
	}
	return nil
}

// Load reads a model written by Save. A model with word features needs its
// segmenter registered first (import the gseword package for "gse").
func Load(r io.Reader) (*Model, error) {
	var hdr [len(fileMagic) + 2]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("classify: load: reading header: %w", err)
	}
	if !bytes.Equal(hdr[:len(fileMagic)], []byte(fileMagic)) {
		return nil, errors.New("classify: load: not a classifier model file")
	}
	if v := binary.BigEndian.Uint16(hdr[len(fileMagic):]); v != fileVersion {
		return nil, fmt.Errorf("classify: load: model format version %d, this build reads %d", v, fileVersion)
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("classify: load: %w", err)
	}
	defer zr.Close()
	var f fileV1
	if err := gob.NewDecoder(zr).Decode(&f); err != nil {
		return nil, fmt.Errorf("classify: load: %w", err)
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("classify: load: %w", err)
	}
	ext, err := newExtractor(f.Options)
	if err != nil {
		return nil, err
	}
	m := &Model{
		labels: f.Labels, opt: f.Options, calib: calibration{T: f.Temperature, A: 1}, ext: ext,
		vocab: vocabulary{terms: f.Terms, idf: f.IDF},
		lin:   linear{k: len(f.Labels), w: f.W, b: f.B},
	}
	if len(f.TopPlatt) == 2 {
		m.calib.A, m.calib.B = f.TopPlatt[0], f.TopPlatt[1]
	}
	m.vocab.reindex()
	return m, nil
}

// check rejects a decoded file whose parts do not fit together, so a
// damaged file fails at Load rather than panicking in Predict.
func (f *fileV1) check() error {
	k, n := len(f.Labels), len(f.Terms)
	switch {
	case k < 2:
		return fmt.Errorf("model has %d labels", k)
	case len(f.IDF) != n:
		return fmt.Errorf("model has %d terms but %d idf weights", n, len(f.IDF))
	case len(f.W) != n*k || len(f.B) != k:
		return fmt.Errorf("model weights do not match %d terms × %d labels", n, k)
	case !(f.Temperature > 0):
		return fmt.Errorf("model temperature %g", f.Temperature)
	case f.TopPlatt != nil && (len(f.TopPlatt) != 2 || !(f.TopPlatt[0] > 0) || math.IsInf(f.TopPlatt[1], 0) || math.IsNaN(f.TopPlatt[1])):
		return fmt.Errorf("model top-label calibration %v", f.TopPlatt)
	}
	if err := f.Options.validate(); err != nil {
		return err
	}
	return nil
}
