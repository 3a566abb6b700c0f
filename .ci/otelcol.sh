#!/usr/bin/env bash
# Builds a minimal OpenTelemetry Collector (OTLP receiver on gRPC + HTTP, the contrib file exporter
# writing JSON lines) from the Go module proxy at a pinned release, once, into a cache outside the
# clone, and prints the binary's path. Later runs only print the path (pattern: .ci/temporal.sh).
# Usage: bash .ci/otelcol.sh  ->  /var/cache/pgactive-tools/otelcol-v0.161.0/otelcol
# Env: OTELCOL_VERSION (default below), PGACTIVE_TOOLS_CACHE (default /var/cache/pgactive-tools).
set -euo pipefail

# All collector modules at one release: contrib fileexporter v0.161.0 is the newest that builds from
# the proxy here; its core modules are pinned to the same release (v0.161.0, stable v1.67.0).
VERSION="${OTELCOL_VERSION:-v0.161.0}"
STABLE="${OTELCOL_STABLE_VERSION:-v1.67.0}" # the 1.x modules of the same release (v0.165.0 <-> v1.71.0)
CACHE="${PGACTIVE_TOOLS_CACHE:-/var/cache/pgactive-tools}"
DIR="${CACHE}/otelcol-${VERSION}"
OUT="${DIR}/otelcol"

# shellcheck source=.ci/go_peer.sh
source "$(dirname "${BASH_SOURCE[0]}")/go_peer.sh"

build() {
  export GOFLAGS="${GOFLAGS:--buildvcs=false}"
  src="${DIR}/src"
  mkdir -p "$src"
  cat >"${src}/go.mod" <<GOMOD
module pgactive-tools/otelcol

go 1.24
GOMOD
  cat >"${src}/main.go" <<'GOMAIN'
// A minimal OpenTelemetry Collector for pgactive-tools' tests: OTLP in, JSON lines out.
package main

import (
	"log"

	"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/provider/envprovider"
	"go.opentelemetry.io/collector/confmap/provider/fileprovider"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"
)

func components() (otelcol.Factories, error) {
	var err error
	f := otelcol.Factories{Telemetry: otelconftelemetry.NewFactory()}
	if f.Receivers, err = otelcol.MakeFactoryMap[receiver.Factory](otlpreceiver.NewFactory()); err != nil {
		return f, err
	}
	f.Exporters, err = otelcol.MakeFactoryMap[exporter.Factory](fileexporter.NewFactory())
	return f, err
}

func main() {
	settings := otelcol.CollectorSettings{
		BuildInfo: component.BuildInfo{
			Command:     "otelcol",
			Description: "OTLP receiver + file exporter (pgactive-tools tests)",
			Version:     "OTELCOL_VERSION",
		},
		Factories: components,
		ConfigProviderSettings: otelcol.ConfigProviderSettings{
			ResolverSettings: confmap.ResolverSettings{
				ProviderFactories: []confmap.ProviderFactory{fileprovider.NewFactory(), envprovider.NewFactory()},
				DefaultScheme:     "env",
			},
		},
	}
	if err := otelcol.NewCommand(settings).Execute(); err != nil {
		log.Fatal(err)
	}
}
GOMAIN
  sed -i "s/OTELCOL_VERSION/${VERSION#v}/" "${src}/main.go"
  log "building an OpenTelemetry Collector ${VERSION} (first time only; minutes on 2 cores)"
  cd "$src"
  go get "go.opentelemetry.io/collector/otelcol@${VERSION}" \
    "go.opentelemetry.io/collector/receiver/otlpreceiver@${VERSION}" \
    "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/fileexporter@${VERSION}" \
    "go.opentelemetry.io/collector/confmap@${STABLE}" \
    "go.opentelemetry.io/collector/confmap/provider/envprovider@${STABLE}" \
    "go.opentelemetry.io/collector/confmap/provider/fileprovider@${STABLE}"
  go mod tidy
  go build -trimpath -ldflags "-s -w" -o "$OUT" .
}

go_peer "$OUT" build
