import http from 'node:http';

import type { Sender } from './types';

export interface HttpCall {
	method: 'POST';
	url: string;
	headers: Record<string, string>;
	body: unknown;
}

/** A bare keep-alive HTTP client: one request per item, one after another, over one connection. */
export function bareHttpSender(call: (item: { text: string; echo: string }) => HttpCall): Sender {
	return {
		label: 'bare keep-alive HTTP client (no n8n in .cache/n8n for the HTTP Request node)',
		send: async (items) => {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			try {
				for (const item of items) {
					const request = call(item.json as { text: string; echo: string });
					const status = await post(agent, request);
					if (status < 200 || status >= 300) throw new Error(`${request.url} answered ${status}`);
				}
			} finally {
				agent.destroy();
			}
		},
	};
}

function post(agent: http.Agent, request: HttpCall): Promise<number> {
	const body = Buffer.from(JSON.stringify(request.body));
	return new Promise((resolve, reject) => {
		const outgoing = http.request(
			request.url,
			{ method: request.method, agent, headers: { ...request.headers, 'content-type': 'application/json', 'content-length': body.length } },
			(response) => {
				response.resume();
				response.on('end', () => resolve(response.statusCode ?? 0));
			},
		);
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}
