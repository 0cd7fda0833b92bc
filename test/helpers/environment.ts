// Runs before every test file, before n8n-core is loaded: n8n-core writes its encryption key and
// binary data under N8N_USER_FOLDER, so each test worker gets a folder of its own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'chat-bridge-n8n-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_BLOCK_ENV_ACCESS_IN_NODE ??= 'false';
