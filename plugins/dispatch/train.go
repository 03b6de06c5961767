package dispatch

import (
	"fmt"
	"time"

	"siyang/plugins/textmine/classify"
)

// minExamples below which a model is not worth training.
const minExamples = 20

// Retrain trains on the imported base examples plus the platform's own
// history and makes the new model live. force retrains even when nothing
// new was confirmed since the current model.
func (p *plugin) Retrain(force bool) (trained bool, n int, err error) {
	base, err := p.models.base()
	if err != nil {
		return false, 0, err
	}
	history, err := History(p.app)
	if err != nil {
		return false, 0, err
	}
	meta := trainingMeta{BaseExamples: len(base), HistoryExamples: len(history)}
	if !force && meta == p.models.meta() && p.models.current.Load() != nil {
		return false, 0, nil
	}
	examples := append(append([]classify.Example{}, base...), history...)
	if len(examples) < minExamples {
		return false, len(examples), fmt.Errorf("只有 %d 条已确认分类的诉求，至少需要 %d 条才能训练", len(examples), minExamples)
	}
	started := time.Now()
	model, err := classify.Train(examples, p.config.TrainOptions)
	if err != nil {
		return false, len(examples), err
	}
	if err := p.models.save(model, meta); err != nil {
		return false, len(examples), err
	}
	p.app.Logger().Info("classifier retrained", "examples", len(examples), "took", time.Since(started).String())
	return true, len(examples), nil
}
