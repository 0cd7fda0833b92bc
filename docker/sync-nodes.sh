#!/bin/sh
# sync-nodes.sh <prepared nodes folder> <n8n nodes folder>
#
# Copies the packages of a nodes folder prepared at image build time into n8n's nodes folder, which a
# volume mounted on /home/node/.n8n hides from the image. The package's previous copy is replaced;
# other community packages installed there (and their package.json) are left as they are.
set -eu
prepared=$1
nodes=$2
mkdir -p "$nodes/node_modules" "$nodes/tarballs"
[ -f "$nodes/package.json" ] || cp "$prepared/package.json" "$nodes/package.json"
for package in "$prepared"/node_modules/*; do
	rm -rf "$nodes/node_modules/$(basename "$package")"
done
cp -R "$prepared/node_modules/." "$nodes/node_modules/"
cp -R "$prepared/tarballs/." "$nodes/tarballs/"
