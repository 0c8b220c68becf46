#!/usr/bin/env bash
# make bench's load generator: install wrk (Debian/Ubuntu package) if it is missing. Where it cannot
# be installed (no apt-get, no root), say so and carry on: the harness falls back to its Python client.
set -u
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO="none"; fi
  fi
  if [ "$SUDO" != "none" ]; then
    echo "Installing wrk (apt-get) for make bench" >&2
    $SUDO apt-get install -y -qq wrk >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }
  fi
fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed and could not be installed here: make bench uses its Python load generator" >&2
fi
exit 0
