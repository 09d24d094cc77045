package corpus

// The vocabulary of the generated corpus. Every name is invented; any
// likeness to a real company is a coincidence of common words.

// party is an invented company: its name as written in articles and an
// ASCII key for file names.
type party struct {
	name, key string
}

// partyStems and partySuffixes combine into the ~100 parties. The stems
// carry a few non-ASCII letters, as real company names do.
var partyStems = []struct{ name, key string }{
	{"Northwind", "northwind"}, {"Aurora", "aurora"}, {"Bluefin", "bluefin"}, {"Cobalt", "cobalt"},
	{"Driftwood", "driftwood"}, {"Ember", "ember"}, {"Fjordline", "fjordline"}, {"Granite", "granite"},
	{"Halcyon", "halcyon"}, {"Ironbark", "ironbark"}, {"Juniper", "juniper"}, {"Kestrel", "kestrel"},
	{"Lumen", "lumen"}, {"Meridian", "meridian"}, {"Nimbus", "nimbus"}, {"Obsidian", "obsidian"},
	{"Pinnacle", "pinnacle"}, {"Quillon", "quillon"}, {"Redwood", "redwood"}, {"Saltmarsh", "saltmarsh"},
	{"Tidewater", "tidewater"}, {"Umbra", "umbra"}, {"Vantage", "vantage"}, {"Westerly", "westerly"},
	{"Xylo", "xylo"}, {"Yarrow", "yarrow"}, {"Zephyr", "zephyr"}, {"Müller", "mueller"},
	{"Crédit Lumière", "credit-lumiere"}, {"Østfold", "ostfold"}, {"Sakura", "sakura"}, {"Hanse", "hanse"},
	{"Corvid", "corvid"}, {"Delphin", "delphin"}, {"Estuary", "estuary"}, {"Foxglove", "foxglove"},
	{"Gallant", "gallant"}, {"Harbinger", "harbinger"}, {"Isola", "isola"}, {"Jasper", "jasper"},
	{"Kairos", "kairos"}, {"Larkspur", "larkspur"}, {"Monarch", "monarch"}, {"Nordlicht", "nordlicht"},
	{"Orchard", "orchard"}, {"Peregrine", "peregrine"}, {"Quarry", "quarry"}, {"Rosewell", "rosewell"},
	{"Sable", "sable"}, {"Talisman", "talisman"},
}

var partySuffixes = []string{
	"Systems", "Holdings", "Networks", "Capital", "Industries",
	"Labs", "Group", "Energy", "Telecom", "Pharma",
}

// parties are the ~100 invented companies, built once.
var parties = makeParties()

func makeParties() []party {
	var out []party
	for i, s := range partyStems {
		for _, k := range []int{(i * 7) % len(partySuffixes), (i*3 + 1) % len(partySuffixes)} {
			suffix := partySuffixes[k]
			out = append(out, party{name: s.name + " " + suffix, key: s.key + "-" + lowerASCII(suffix)})
		}
	}
	return out
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// tagTopics and tagSectors together make the ~200 tags. The order is
// the Zipf rank: the first tags are the most common.
var tagTopics = []string{
	"Acquisition", "Merger", "Joint venture", "Partnership", "Divestiture",
	"Licensing", "Patents", "Antitrust", "IPO", "Venture funding",
	"Private equity", "Layoffs", "Restructuring", "Spin-off", "Bankruptcy",
	"Lawsuit", "Settlement", "Regulation", "Earnings", "Leadership change",
	"Hostile bid", "Tender offer", "Share buyback", "Dividend", "Debt financing",
	"Bond issue", "Credit rating", "Rights issue", "Delisting", "Takeover defence",
	"Poison pill", "Activist investor", "Proxy fight", "Management buyout", "Leveraged buyout",
	"Asset sale", "Carve-out", "Reverse merger", "SPAC", "Cross-border deal",
	"Golden share", "State aid", "Sanctions", "Export controls", "Tax inversion",
	"Earn-out", "Break fee", "Due diligence", "Fairness opinion", "Shareholder vote",
	"Regulatory approval", "Remedies", "Phase II review", "Consent decree", "Whistleblower",
	"Accounting restatement", "Write-down", "Goodwill impairment", "Synergies", "Integration",
	"Rebranding", "Open source", "Standards", "Supply agreement", "Distribution deal",
	"Outsourcing", "Offshoring", "Insourcing", "Franchise", "Royalties",
	"Cross-licensing", "Patent pool", "Trade secrets", "Non-compete", "Talent acquisition",
	"Acqui-hire", "Stock swap", "All-cash deal", "Minority stake", "Majority stake",
	"Strategic review", "Rumour", "Denial", "Walk-away", "Renegotiation",
	"Price cut", "Sweetened bid", "Bidding war", "White knight", "Squeeze-out",
	"Going private", "Secondary offering", "Convertible notes", "Warrants", "Escrow",
	"C++", "C#", "C", "Go", "Café culture",
}

var tagSectors = []string{
	"Smartphones", "Semiconductors", "Cloud computing", "Enterprise software", "Consumer electronics",
	"Telecommunications", "Broadband", "Satellites", "Mobile networks", "5G",
	"Search", "Advertising", "Social media", "E-commerce", "Payments",
	"Banking", "Insurance", "Asset management", "Fintech", "Cryptocurrency",
	"Pharmaceuticals", "Biotech", "Medical devices", "Hospitals", "Health insurance",
	"Oil and gas", "Renewables", "Solar", "Wind power", "Nuclear",
	"Utilities", "Mining", "Steel", "Chemicals", "Fertilisers",
	"Automotive", "Electric vehicles", "Batteries", "Aerospace", "Defence",
	"Airlines", "Shipping", "Railways", "Logistics", "Trucking",
	"Retail", "Grocery", "Fashion", "Luxury goods", "Cosmetics",
	"Food and beverage", "Brewing", "Tobacco", "Agriculture", "Fisheries",
	"Media", "Publishing", "Film", "Music", "Video games",
	"Sports", "Hotels", "Casinos", "Real estate", "Construction",
	"Cement", "Paper", "Packaging", "Textiles", "Toys",
	"Education", "Consulting", "Accounting", "Legal services", "Staffing",
	"Cybersecurity", "Databases", "Operating systems", "Browsers", "Mapping",
	"Robotics", "Artificial intelligence", "Drones", "3D printing", "Quantum computing",
	"Europe", "North America", "Latin America", "Asia", "Africa",
	"Middle East", "Nordics", "Germany", "Japan", "China",
	"India", "Brazil", "Zürich", "日本市場", "Île-de-France",
}

// kinds are the deal kinds: a title pattern (A and B are the first two
// parties, S a sector) and a tag that goes with it.
var kinds = []struct{ title, key, tag string }{
	{"A agrees to acquire B", "acquires", "Acquisition"},
	{"A and B agree to merge", "merge", "Merger"},
	{"A and B form a S joint venture", "joint-venture", "Joint venture"},
	{"A sells its S unit to B", "sells-unit", "Divestiture"},
	{"A and B sign a S partnership", "partnership", "Partnership"},
	{"A licenses its S patents to B", "licenses-patents", "Licensing"},
	{"A sues B over S patents", "sues", "Lawsuit"},
	{"A and B settle their patent dispute", "settle", "Settlement"},
	{"A makes a hostile bid for B", "hostile-bid", "Hostile bid"},
	{"A raises its offer for B", "raises-offer", "Sweetened bid"},
	{"Regulators clear A's purchase of B", "cleared", "Regulatory approval"},
	{"Regulators open an in-depth review of A and B", "review", "Phase II review"},
	{"A walks away from its deal with B", "walks-away", "Walk-away"},
	{"A spins off its S business", "spin-off", "Spin-off"},
	{"A goes public", "ipo", "IPO"},
	{"A takes a minority stake in B", "minority-stake", "Minority stake"},
	{"A signs a S supply agreement with B", "supply", "Supply agreement"},
	{"A and B complete their merger", "complete", "Merger"},
	{"A writes down the value of B", "write-down", "Write-down"},
	{"A and B end their S alliance", "end-alliance", "Partnership"},
}

var headings = []string{
	"Background", "Terms of the agreement", "Financing", "Regulatory review",
	"Market reaction", "Integration", "People", "What followed", "Analysis",
	"Reactions", "Timeline", "The negotiations", "Competing bids", "Legal challenges",
	"Employees", "Products", "Strategy", "Valuation", "Shareholders", "Outlook",
}

var publishers = []struct{ name, host string }{
	{"The Ledger", "www.theledger.example.com"}, {"Market Wire", "marketwire.example.net"},
	{"Deal Journal", "dealjournal.example.org"}, {"Tech Chronicle", "www.techchronicle.example.com"},
	{"Le Courrier Économique", "courrier-eco.example.fr"}, {"Handelsblatt Übersicht", "uebersicht.example.de"},
	{"Nikkei-style Daily", "daily.example.jp"}, {"Financial Review", "finreview.example.com.au"},
	{"The Analyst", "theanalyst.example.co.uk"}, {"Press release", "press.example.com"},
}

// Sentence material. Slots in templates: {A} {B} first and second
// party, {P} any party, {S} sector, {V} a value, {Y} the year, {N} a
// number, {W} a noun phrase.
var sentences = []string{
	"{A} said the transaction would close by the end of {Y}, subject to approval by regulators and shareholders.",
	"Analysts at several banks described the price as full but defensible, given {B}'s position in {S}.",
	"The companies expected annual cost savings of about {V} within three years of completion.",
	"Shares of {B} rose {N}% in early trading, while {A} fell slightly as investors weighed the cost.",
	"Under the agreement, {A} would keep {B}'s brand for at least two years and retain most of its staff.",
	"People familiar with the talks said the negotiations had started more than a year earlier.",
	"The board of {B} unanimously recommended that shareholders accept the offer.",
	"Critics argued that the deal would reduce competition in {S}, particularly in smaller markets.",
	"{P} had approached {B} twice before, according to filings, but both talks ended without agreement.",
	"The deal valued {B} at roughly {N} times its expected earnings for the year.",
	"Employees were told in a memo that no immediate changes to their roles were planned.",
	"The chief executive of {A} called the agreement \"a turning point\" for the company's {S} business.",
	"Competition authorities in several jurisdictions asked for more information before deciding.",
	"The financing combined cash on hand with a bridge loan of {V} from a group of banks.",
	"Some investors questioned whether {A} was paying too much at the top of the market.",
	"{B}'s founders, who held about {N}% of the shares, agreed to support the transaction.",
	"The companies said their products were complementary rather than overlapping.",
	"A spokesperson for {P} declined to comment on the details of the negotiations.",
	"Industry observers noted that the market for {S} had been consolidating for several years.",
	"The agreement included a break fee of {V} payable if either side walked away.",
	"Integration was expected to take eighteen months and to cost about {V}.",
	"Rating agencies placed {A}'s debt on review after the announcement.",
	"The combined company would employ about {N},000 people across {N} countries.",
	"{A} had spent much of the previous decade building its presence in {S}.",
	"Unions representing workers at {B} asked for guarantees on jobs and pensions.",
	"The transaction was structured as a mix of cash and shares, giving {B}'s holders a stake in the combined group.",
	"It was the largest deal in {S} that year, according to data compiled by {P}.",
	"The two companies had worked together on {W} since the late 1990s.",
	"Regulators eventually required the sale of {W} as a condition of approval.",
	"Several large shareholders of {A} said publicly that they opposed the price.",
	"The announcement came a week after {P} reported weaker than expected results.",
	"Talks stalled for several weeks over the treatment of {W}.",
	"The new entity was to be headquartered in the Zürich offices of {B}.",
	"Commentators in Japan called it the most significant move in the 日本 market in a decade.",
	"Executives celebrated the signing with a café crème and, reportedly, a 🎉 on the company chat.",
	"The deal was nicknamed \"Projet Élan\" internally, after a hiking trail near Genève.",
	"Documents filed with the {W} listed {N} risk factors, including currency movements and integration costs.",
	"In hindsight, many considered the purchase of {B} a costly mistake for {A}.",
	"Others argued that without the deal {A} would have been left behind in {S}.",
	"The partnership gave {A} access to {B}'s distribution network in {N} markets.",
}

var nounPhrases = []string{
	"the pension liabilities", "the patent portfolio", "the European distribution business",
	"the research centre", "the consumer brand", "the retail network", "the cloud contracts",
	"the licensing revenue", "the manufacturing plants", "the data centres", "the services arm",
	"the supply contracts", "the securities regulator", "the minority shareholders",
}

// listItems feed bulleted and numbered lists; the same slots apply.
var listItems = []string{
	"**Price.** {A} agreed to pay {V}, mostly in cash.",
	"**Staff.** About {N},000 employees of {B} were to transfer.",
	"**Brands.** {B} kept its name in {S} for a transition period.",
	"**Patents.** A cross-licence covered patents filed before {Y}.",
	"**Approval.** Regulators in *{N}* jurisdictions had to clear the deal.",
	"**Financing.** A bridge loan of {V} was arranged by three banks.",
	"Board seats for two directors nominated by {B}.",
	"A standstill agreement running until the end of {Y}.",
	"Completion expected within *twelve months*.",
	"Ticker `{T}` to remain listed until completion.",
	"Cost savings estimated at {V} a year.",
	"Headquarters to stay in Köln for at least five years.",
	"An earn-out of up to {V} tied to {S} revenue.",
	"Rights to the *{W}* to pass to {A}.",
}

var codeSpans = []string{"Form 8-K", "Schedule 13D", "S-4", "DEF 14A", "ISIN XS0123456789", "§ 15 WpÜG"}

var footnoteTexts = []string{
	"Figures as reported at the time; later filings revised some of them.",
	"The exact date of completion differs between sources by a few days.",
	"Converted at the exchange rate on the day of the announcement.",
	"According to people familiar with the matter, who asked not to be named.",
}

// valueScales give "$3.4 billion"-style values, with the other forms the
// site model reads as dollar amounts and a few it does not.
var valueForms = []string{"$%s billion", "$%s billion", "$%s million", "$%s million", "US$%s million", "$%sbn", "€%s billion", "£%s million"}
