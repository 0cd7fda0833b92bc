#!/bin/sh
# The image's entry point: puts the package into n8n's nodes folder, then starts n8n as the official
# image does.
set -eu
/usr/local/lib/chat-bridge/sync-nodes.sh /opt/chat-bridge/nodes "${N8N_USER_FOLDER:-$HOME}/.n8n/nodes"
exec /docker-entrypoint.sh "$@"
