package analytics

import (
	"io"

	"github.com/xuri/excelize/v2"

	"siyang/plugins/workflow"
)

// sheet is one table of a workbook: a title line, a header and rows of
// plain values (numbers stay numbers, so officials can sum and chart them).
type sheet struct {
	Name   string
	Title  string
	Header []string
	Rows   [][]any
	Widths []float64 // column widths; missing ones are 14
}

// writeWorkbook writes the sheets as one .xlsx to w.
func writeWorkbook(w io.Writer, sheets []sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F2"}}})
	if err != nil {
		return err
	}
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return err
		}
		if err := f.SetCellValue(s.Name, "A1", s.Title); err != nil {
			return err
		}
		if err := f.SetCellStyle(s.Name, "A1", "A1", titleStyle); err != nil {
			return err
		}
		header := make([]any, len(s.Header))
		for j, h := range s.Header {
			header[j] = h
		}
		if err := f.SetSheetRow(s.Name, "A3", &header); err != nil {
			return err
		}
		last, _ := excelize.CoordinatesToCellName(len(s.Header), 3)
		if err := f.SetCellStyle(s.Name, "A3", last, bold); err != nil {
			return err
		}
		for j, row := range s.Rows {
			cell, _ := excelize.CoordinatesToCellName(1, 4+j)
			r := row
			if err := f.SetSheetRow(s.Name, cell, &r); err != nil {
				return err
			}
		}
		for j := range s.Header {
			width := 14.0
			if j < len(s.Widths) {
				width = s.Widths[j]
			}
			col, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetColWidth(s.Name, col, col, width); err != nil {
				return err
			}
		}
		if err := f.SetPanes(s.Name, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// rateCell is a rate as a number (percent, one decimal), or "—" without base.
func rateCell(r Rate) any {
	if r.Rate == nil {
		return "—"
	}
	return *r.Rate
}

// rowsHeader and rowCells are the columns of a breakdown table.
var rowsHeader = []string{"", "来件量", "办结量", "在办", "超期（在办）", "响应率（%）", "解决率（%）", "满意率（%）", "按时办结率（%）", "一次办结率（%）", "重复诉求率（%）", "平均办理时长（工作日）"}

func rowCells(r *Row) []any {
	days := any("—")
	if r.HandlingDays != nil {
		days = *r.HandlingDays
	}
	return []any{r.Label, r.Received, r.Closed, r.Open, r.Overdue, rateCell(r.Response), rateCell(r.Resolution),
		rateCell(r.Satisfaction), rateCell(r.OnTime), rateCell(r.FirstTime), rateCell(r.Repeat), days}
}

func breakdown(name, title, first string, rows []*Row) sheet {
	h := append([]string{first}, rowsHeader[1:]...)
	s := sheet{Name: name, Title: title, Header: h, Widths: []float64{28}}
	for _, r := range rows {
		s.Rows = append(s.Rows, rowCells(r))
	}
	return s
}

// reportSheets lays the report out as sheets: 概况 (each figure with what
// it is computed from), the breakdowns, 热点问题, 超期工单.
func reportSheets(r *Report) []sheet {
	t := r.Total
	summary := sheet{Name: "概况", Title: r.Title, Header: []string{"指标", "数值", "达标数", "基数", "说明"}, Widths: []float64{18, 12, 10, 10, 60}}
	count := func(label string, n int, note string) []any { return []any{label, n, "", "", note} }
	rate := func(label string, x Rate, note string) []any { return []any{label, rateCell(x), x.Count, x.Base, note} }
	days := any("—")
	if t.HandlingDays != nil {
		days = *t.HandlingDays
	}
	summary.Rows = [][]any{
		count("来件量", t.Received, "本月受理的诉求（含并单、不予受理）"),
		count("办结量", t.Closed, "本月办结归档的工单"),
		count("在办", t.Open, "在办截至时刻在承办单位办理中的工单"),
		count("超期（在办）", t.Overdue, "其中已超过时限的"),
		rate("响应率（%）", t.Response, "签收期限在本月且已到期的主办任务中，按时签收的比例"),
		rate("解决率（%）", t.Resolution, "本月办结且参评的工单中，诉求人评价已解决的比例"),
		rate("满意率（%）", t.Satisfaction, "满意和非常满意 / 参评（转紧急热线、告知法定途径的不计）"),
		rate("按时办结率（%）", t.OnTime, "本月答复的工单中，在办结期限内答复的比例"),
		rate("一次办结率（%）", t.FirstTime, "本月办结的工单中，未经退回重办、回访不满意重办的比例"),
		rate("重复诉求率（%）", t.Repeat, "本月来件中并单或以重复诉求不予受理的比例"),
		{"平均办理时长（工作日）", days, "", t.Handled, "从派单到答复的工作日，按本月答复的工单平均"},
		{"报告生成时间", r.GeneratedAt, "", "", ""},
		{"数据截至", r.AsOf, "", "", "各项比率统计到此时刻（每分钟更新）"},
		{"在办截至", r.OpenAsOf, "", "", "在办、超期为此时刻的状态（每分钟更新）"},
	}
	sheets := []sheet{summary}
	if r.Department == "" {
		sheets = append(sheets, breakdown("分单位", r.Period+" 各承办单位", "承办单位", r.ByDepartment))
	}
	sheets = append(sheets,
		breakdown("分类", r.Period+" 各诉求分类", "诉求分类", r.ByCategory),
		breakdown("乡镇街道", r.Period+" 各乡镇街道（按诉求所在地）", "乡镇街道", r.ByTownship))
	hot := sheet{Name: "热点问题", Title: "热点问题（报告生成时，按热度排列）",
		Header: []string{"热点", "件数", "本报告范围内件数", "诉求人数", "近 7 天件数", "热度", "首次", "最近"}, Widths: []float64{48}}
	for _, h := range r.Hotspots {
		hot.Rows = append(hot.Rows, []any{h.Title, h.Count, h.Cases, h.Residents, h.Recent, h.Heat, h.FirstAt, h.LastAt})
	}
	late := sheet{Name: "超期工单", Title: "超期最严重的工单（在办超期，或本月超期答复）",
		Header: []string{"受理编号", "标题", "主办单位", "状态", "超期环节", "期限", "答复时间", "超期天数"}, Widths: []float64{16, 40, 18, 10, 10, 18, 18, 10}}
	for _, c := range r.Overdue {
		replied := any(c.Replied)
		if c.Replied == "" {
			replied = "尚未答复"
		}
		late.Rows = append(late.Rows, []any{c.Ticket, c.Title, c.Department, workflow.StatusLabels[workflow.Status(c.Status)], c.Stage, c.Due, replied, c.DaysLate})
	}
	return append(sheets, hot, late)
}
