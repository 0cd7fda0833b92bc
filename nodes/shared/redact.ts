/** The mask that replaces a secret wherever it would otherwise be shown. */
export const REDACTED = '***';

const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every secret (also in its URL-encoded form) in a text with `***`.
 * Secrets shorter than four characters are ignored: masking them would mangle ordinary words.
 */
export function redactText(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			result = result.split(form).join(REDACTED);
		}
	}
	return result;
}

/** Deep copy of a JSON-like value with every string passed through `redactText`. */
export function redactValue<T>(value: T, secrets: ReadonlyArray<string | undefined>): T {
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => redactValue(entry, secrets)) as T;
	if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			copy[key] = redactValue(entry, secrets);
		}
		return copy as T;
	}
	return value;
}
