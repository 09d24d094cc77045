package site

import (
	"regexp"
	"strconv"
	"strings"
)

// Amount is a deal value read as US dollars.
type Amount struct {
	USD float64 // 0 when the value is not a dollar amount
}

// amountPattern reads values like "$7.2 billion", "US$ 450 million",
// "USD 1,200m" or "$3bn". Other currencies and vague values ("several
// billion") are not amounts; the value is still shown as written.
var amountPattern = regexp.MustCompile(`^(?i)\s*(?:us\$|\$|usd)\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(billion|bn|b|million|mn|m|thousand|k)?\b`)

var scales = map[string]float64{
	"": 1, "thousand": 1e3, "k": 1e3,
	"million": 1e6, "mn": 1e6, "m": 1e6,
	"billion": 1e9, "bn": 1e9, "b": 1e9,
}

// ParseAmount reads a front-matter value as dollars.
func ParseAmount(value string) Amount {
	m := amountPattern.FindStringSubmatch(value)
	if m == nil {
		return Amount{}
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		return Amount{}
	}
	return Amount{USD: n * scales[strings.ToLower(m[2])]}
}
