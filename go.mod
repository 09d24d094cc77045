module github.com/dealsite/dealsite

go 1.26.8

require (
	github.com/yuin/goldmark v1.8.7
	github.com/yuin/goldmark-meta v1.1.0
)

require gopkg.in/yaml.v2 v2.3.0 // indirect
