/** The mask that replaces a secret wherever it would otherwise be shown. */
export const REDACTED = '***';

const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every secret (also in its URL-encoded form) in a text with `***`.
 * Secrets shorter than four characters are ignored: masking them would mangle ordinary words.
 */
export function redactText(text: string, secrets: ReadonlyArray<string | undefined>): string {
	return maskForms(text, secretForms(secrets));
}

/** Deep copy of a JSON-like value with every string passed through `redactText`. */
export function redactValue<T>(value: T, secrets: ReadonlyArray<string | undefined>): T {
	// The forms are worked out once for the whole value: a large response has thousands of strings.
	return maskDeep(value, secretForms(secrets));
}

/** Every text a secret can appear as: itself and its URL-encoded form, each once. */
function secretForms(secrets: ReadonlyArray<string | undefined>): string[] {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
	}
	return [...forms];
}

function maskForms(text: string, forms: string[]): string {
	let result = text;
	for (const form of forms) {
		if (result.includes(form)) result = result.split(form).join(REDACTED);
	}
	return result;
}

function maskDeep<T>(value: T, forms: string[]): T {
	if (typeof value === 'string') return maskForms(value, forms) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => maskDeep(entry, forms)) as T;
	if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			setOwn(copy, key, maskDeep(entry, forms));
		}
		return copy as T;
	}
	return value;
}

/**
 * Sets a key as the object's own data property. A plain `copy[key] = value` with the key
 * `__proto__` (which JSON.parse keeps as an ordinary key of a webhook body) would replace the
 * copy's prototype instead, so the payload's fields would show up as inherited ones.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
