import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { ensureCommand } from '../../test/helpers/debian-package';

/** What one wrk run measured, as its Lua `done` hook reports it. */
export interface WrkResult {
	requests: number;
	requestsPerSecond: number;
	p50Ms: number;
	p99Ms: number;
	/** Answers other than 2xx/3xx, and connect, read, write and timeout errors. */
	failures: number;
}

/**
 * The `wrk` load generator (Debian's package). When it is missing and the process may install
 * packages, it is installed with apt-get; otherwise the error says how to get it.
 */
export function ensureWrk(): string {
	return ensureCommand('wrk', 'wrk');
}

/**
 * A wrk script that POSTs JSON: `{n}` in the template becomes a number unique to this run, so each
 * request carries its own message id (the triggers drop repeated deliveries, as they should).
 */
export function writePostScript(folder: string, name: string, template: string): string {
	if (template.includes(']=]')) throw new Error('The body template cannot contain "]=]"');
	const run = randomBytes(4).toString('hex');
	const file = path.join(folder, `${name}-${run}.lua`);
	writeFileSync(
		file,
		`local template = [=[${template}]=]
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = template:gsub("{n}", "${run}-" .. counter)
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"failures":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`,
	);
	return file;
}

export async function runWrk(wrk: string, url: string, script: string, options: { connections: number; seconds: number }): Promise<WrkResult> {
	const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '10s', '-s', script, url];
	const stdout = await new Promise<string>((resolve, reject) =>
		execFile(wrk, args, { timeout: (options.seconds + 30) * 1000 }, (error, out, err) =>
			error ? reject(new Error(`wrk failed: ${error.message}\n${err}`)) : resolve(out),
		),
	);
	const line = /WRK_RESULT (\{.*\})/.exec(stdout);
	if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
	const result = JSON.parse(line[1]) as { requests: number; durationUs: number; failures: number; p50Us: number; p99Us: number };
	return {
		requests: result.requests,
		requestsPerSecond: result.requests / (result.durationUs / 1e6),
		p50Ms: result.p50Us / 1000,
		p99Ms: result.p99Us / 1000,
		failures: result.failures,
	};
}
