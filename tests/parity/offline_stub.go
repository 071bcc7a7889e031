//go:build validate

// Offline stand-ins for the two network calls of CNCF's scripts/validate.go, compiled beside
// it by tests/parity/harness.py so that parity runs without a network.
//
// Only the transport is replaced, so every line the validator prints is still its own: a
// well-formed http(s) URL answers 200 (reachability is an online rule, outside parity) and
// the landscape lists every vendorName of the files given on the command line (CNCF
// membership is online as well). What net/http's own transport rejects without any network
// (an unsupported scheme, no host) is rejected here with the transport's words.
package main

import (
	"errors"
	"io"
	"net/http"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

func init() {
	http.DefaultTransport = offlineTransport{}
}

type offlineTransport struct{}

func (offlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return nil, errors.New(`unsupported protocol scheme "` + req.URL.Scheme + `"`)
	}
	if req.URL.Host == "" {
		return nil, errors.New("http: no Host in request URL")
	}
	body := ""
	if req.URL.String() == landscapeURL {
		body = landscapeOfArguments()
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1,
		ProtoMinor: 1, Header: http.Header{}, Request: req,
		Body: io.NopCloser(strings.NewReader(body)),
	}, nil
}

// landscapeOfArguments is a CNCF landscape whose members are the vendors being validated.
func landscapeOfArguments() string {
	members := LandscapeSubcategory{Name: "members"}
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		var doc struct {
			Metadata map[string]interface{} `yaml:"metadata"`
		}
		if yaml.Unmarshal(data, &doc) != nil {
			continue
		}
		for _, key := range []string{"vendorName", "vendor_name"} {
			if name, ok := doc.Metadata[key].(string); ok && strings.TrimSpace(name) != "" {
				members.Items = append(members.Items, LandscapeItem{Name: strings.TrimSpace(name)})
			}
		}
	}
	members.Items = append(members.Items, LandscapeItem{Name: "placeholder"})
	out, err := yaml.Marshal(LandscapeData{Landscape: []LandscapeCategory{
		{Name: "CNCF Members", Subcategories: []LandscapeSubcategory{members}},
	}})
	if err != nil {
		panic(err)
	}
	return string(out)
}
