#!/bin/sh
# install-package.sh <package.tgz> <nodes folder>
#
# Installs a packed n8n-nodes-chat-bridge (`npm pack`) into an n8n nodes folder (<user folder>/.n8n/nodes,
# e.g. ~/.n8n/nodes), where n8n loads community packages from at start. The tarball is kept in
# <nodes folder>/tarballs, so a later `npm install` there (n8n's own, when a package is installed from
# its UI) still finds it. Runtime dependencies (ws, socket.io-client, form-data) come from the registry;
# n8n-workflow is not installed (n8n provides it); no install scripts run. Restart n8n afterwards.
# The Docker image (docker/Dockerfile) and the real-n8n suite (test/e2e/package-install.ts) run this.
set -eu
if [ $# -ne 2 ]; then
	echo "usage: $0 <n8n-nodes-chat-bridge-x.y.z.tgz> <n8n nodes folder, e.g. ~/.n8n/nodes>" >&2
	exit 2
fi
tarball=$1
nodes=$2
name=$(basename "$tarball")

mkdir -p "$nodes/tarballs"
cp "$tarball" "$nodes/tarballs/$name"
cd "$nodes"
if [ ! -f package.json ]; then
	printf '{\n  "name": "installed-nodes",\n  "private": true\n}\n' >package.json
fi
npm install --omit=dev --legacy-peer-deps --ignore-scripts --no-audit --no-fund --loglevel=error "./tarballs/$name"
echo "Installed $name into $nodes; restart n8n to load it."
