import type { Readable } from 'node:stream';

/** What a JSON answer may weigh by default: far above any chat API page, far below what hurts n8n. */
export const JSON_RESPONSE_LIMIT_BYTES = 8 * 1024 * 1024;
/** What a file answer (a PDF transcript) may weigh by default. */
export const FILE_RESPONSE_LIMIT_BYTES = 64 * 1024 * 1024;

/** An answer larger than the limit: it was cut off, not read into memory. */
export class ResponseTooLargeError extends Error {
	constructor(readonly limitBytes: number) {
		super(`The answer is larger than ${formatBytes(limitBytes)}`);
	}
}

export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
	if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
	return `${bytes} bytes`;
}

const isReadable = (value: unknown): value is Readable =>
	typeof value === 'object' && value !== null && typeof (value as Readable).on === 'function' && typeof (value as Readable).destroy === 'function';

/**
 * Reads an answer body up to `limitBytes`: a declared Content-Length above the limit is refused
 * before reading, and a body that grows past it is cut off at once (its stream destroyed), so a
 * huge answer never sits in memory. Bodies that are already in memory are measured the same way.
 */
export async function readBounded(
	body: unknown,
	limitBytes: number,
	declaredLength: unknown,
	signal?: AbortSignal,
): Promise<Buffer> {
	if (!isReadable(body)) {
		const bytes = inMemoryBytes(body);
		if (bytes.length > limitBytes) throw new ResponseTooLargeError(limitBytes);
		return bytes;
	}
	const declared = Number(declaredLength);
	if (Number.isFinite(declared) && declared > limitBytes) {
		body.destroy();
		throw new ResponseTooLargeError(limitBytes);
	}
	return await new Promise<Buffer>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const finish = (error?: Error) => {
			body.off('data', onData);
			body.off('end', onEnd);
			body.off('error', onError);
			signal?.removeEventListener('abort', onAbort);
			if (error) {
				body.destroy();
				reject(error);
			} else resolve(Buffer.concat(chunks, size));
		};
		const onData = (chunk: Buffer | string) => {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += bytes.length;
			if (size > limitBytes) {
				chunks.length = 0;
				finish(new ResponseTooLargeError(limitBytes));
				return;
			}
			chunks.push(bytes);
		};
		const onEnd = () => finish();
		const onError = (error: Error) => finish(error);
		const onAbort = () => finish(Object.assign(new Error('The request was aborted'), { code: 'ECONNABORTED' }));
		if (signal?.aborted) {
			onAbort();
			return;
		}
		body.on('data', onData);
		body.once('end', onEnd);
		body.once('error', onError);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

function inMemoryBytes(body: unknown): Buffer {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body);
	return Buffer.from(JSON.stringify(body));
}

/** A body read as text: JSON when it parses, `NOT_JSON` (with the text) when it does not, undefined when empty. */
export type ParsedBody = { json: true; value: unknown } | { json: false; text: string };

export function parseBody(bytes: Buffer): ParsedBody {
	const text = bytes.toString('utf8');
	if (text.trim() === '') return { json: true, value: undefined };
	try {
		return { json: true, value: JSON.parse(text) as unknown };
	} catch {
		return { json: false, text };
	}
}

/** The start of a body for an error message, on one line. */
export function excerpt(text: string, length = 200): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > length ? `${line.slice(0, length)}…` : line;
}
