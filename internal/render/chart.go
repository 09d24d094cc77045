package render

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/dealsite/dealsite/internal/site"
)

// The chart is drawn at build time as inline SVG: no script, no request,
// and it prints. Colours come from CSS classes so it follows the light
// and dark themes. A data table in <details> is its text alternative.

const (
	chartWidth  = 720
	chartLeft   = 8
	chartRight  = 8
	panelHeight = 110
	panelGap    = 72
	chartTop    = 34
)

// yearStat is one year of the chart.
type yearStat struct {
	year   int
	events int
	usd    float64
}

// Chart draws events per year and, when some values are dollar amounts,
// the announced value per year. It is empty for a site without events.
func Chart(s *site.Site) template.HTML {
	stats := chartStats(s)
	if len(stats) == 0 {
		return ""
	}
	var b strings.Builder
	hasValues := false
	for _, st := range stats {
		hasValues = hasValues || st.usd > 0
	}
	height := chartTop + panelHeight + 34
	if hasValues {
		height += panelGap + panelHeight
	}
	fmt.Fprintf(&b, `<figure class="chart"><svg viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title chart-desc" focusable="false">`, chartWidth, height)
	fmt.Fprintf(&b, `<title id="chart-title">Events per year</title><desc id="chart-desc">%s</desc>`, html.EscapeString(chartSummary(stats, hasValues)))
	drawPanel(&b, stats, chartTop, "Events per year", "chart-bar", func(st yearStat) float64 { return float64(st.events) })
	if hasValues {
		drawPanel(&b, stats, chartTop+panelHeight+panelGap, "Deal value per year (US$)", "chart-value",
			func(st yearStat) float64 { return st.usd })
	}
	b.WriteString(`</svg>`)
	writeChartTable(&b, stats, hasValues)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

// chartStats covers every year from the first event to the last, so gaps
// in the history show as gaps in the chart.
func chartStats(s *site.Site) []yearStat {
	if len(s.Years) == 0 {
		return nil
	}
	first, last := s.Years[0].Year, s.Years[len(s.Years)-1].Year
	stats := make([]yearStat, last-first+1)
	for i := range stats {
		stats[i].year = first + i
	}
	for _, y := range s.Years {
		st := &stats[y.Year-first]
		st.events = len(y.Articles)
		for _, a := range y.Articles {
			st.usd += a.Amount.USD
		}
	}
	return stats
}

func drawPanel(b *strings.Builder, stats []yearStat, top int, label, class string, value func(yearStat) float64) {
	peak := 0.0
	for _, st := range stats {
		peak = max(peak, value(st))
	}
	if peak == 0 {
		peak = 1
	}
	plotWidth := float64(chartWidth - chartLeft - chartRight)
	slot := plotWidth / float64(len(stats))
	barWidth := max(1, slot*0.7)
	base := float64(top + panelHeight)
	fmt.Fprintf(b, `<text class="chart-label" x="%d" y="%d">%s <tspan class="chart-peak">(highest: %s)</tspan></text>`,
		chartLeft, top-10, html.EscapeString(label), html.EscapeString(shortNumber(peak, class == "chart-value")))
	fmt.Fprintf(b, `<line class="chart-axis" x1="%d" y1="%.1f" x2="%d" y2="%.1f"/>`, chartLeft, base, chartWidth-chartRight, base)
	labelEvery := (len(stats) + 11) / 12
	for i, st := range stats {
		v := value(st)
		x := float64(chartLeft) + float64(i)*slot + (slot-barWidth)/2
		h := v / peak * panelHeight
		if v > 0 {
			fmt.Fprintf(b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%d: %s</title></rect>`,
				class, x, base-h, barWidth, max(h, 1), st.year, html.EscapeString(describeValue(v, class == "chart-value")))
		}
		if i%labelEvery == 0 {
			// Every other label is "odd"; narrow screens hide those.
			class := "chart-tick"
			if (i/labelEvery)%2 == 1 {
				class += " chart-tick-odd"
			}
			fmt.Fprintf(b, `<text class="%s" x="%.1f" y="%.1f" text-anchor="middle">%d</text>`, class, x+barWidth/2, base+22, st.year)
		}
	}
}

func chartSummary(stats []yearStat, hasValues bool) string {
	busiest, total, usd := stats[0], 0, 0.0
	for _, st := range stats {
		if st.events > busiest.events {
			busiest = st
		}
		total += st.events
		usd += st.usd
	}
	summary := fmt.Sprintf("%d events from %d to %d; the busiest year was %d with %s.",
		total, stats[0].year, stats[len(stats)-1].year, busiest.year, plural(busiest.events, "event"))
	if hasValues {
		summary += " Deal values stated in US dollars add up to " + describeValue(usd, true) + "."
	}
	return summary
}

func writeChartTable(b *strings.Builder, stats []yearStat, hasValues bool) {
	b.WriteString(`<details class="chart-data"><summary>Chart data</summary><table><thead><tr><th scope="col">Year</th><th scope="col">Events</th>`)
	if hasValues {
		b.WriteString(`<th scope="col">Value (US$)</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, st := range stats {
		fmt.Fprintf(b, `<tr><th scope="row">%d</th><td>%d</td>`, st.year, st.events)
		if hasValues {
			fmt.Fprintf(b, `<td>%s</td>`, html.EscapeString(describeValue(st.usd, true)))
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table></details>`)
}

func describeValue(v float64, money bool) string {
	if !money {
		return plural(int(v), "event")
	}
	switch {
	case v == 0:
		return "none stated"
	case v >= 1e9:
		return "$" + trimFloat(v/1e9) + " billion"
	case v >= 1e6:
		return "$" + trimFloat(v/1e6) + " million"
	}
	return "$" + trimFloat(v)
}

func shortNumber(v float64, money bool) string {
	if !money {
		return trimFloat(v)
	}
	switch {
	case v >= 1e9:
		return "$" + trimFloat(v/1e9) + "bn"
	case v >= 1e6:
		return "$" + trimFloat(v/1e6) + "m"
	}
	return "$" + trimFloat(v)
}

func trimFloat(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5))/10, 'f', -1, 64)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
