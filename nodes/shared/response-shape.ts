/**
 * Checks of a successful answer's shape, for operations that read fields from it: each returns why
 * the answer is not what the operation needs, or undefined when it is. `apiRequest` turns a reason
 * into an error naming the operation and the status, with a masked excerpt of the body.
 */
export type ResponseCheck = (body: unknown) => string | undefined;

export type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string|number';

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function hasType(value: unknown, type: FieldType): boolean {
	switch (type) {
		case 'array':
			return Array.isArray(value);
		case 'object':
			return isJsonObject(value);
		case 'string|number':
			return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		default:
			return typeof value === type;
	}
}

/** A JSON object whose required fields have these types (optional fields: checked when present). */
export function expectJsonObject(
	required: Record<string, FieldType> = {},
	optional: Record<string, FieldType> = {},
): ResponseCheck {
	return (body) => {
		if (!isJsonObject(body)) return `expected a JSON object, got ${describe(body)}`;
		for (const [field, type] of Object.entries(required)) {
			if (!hasType(body[field], type)) return `expected "${field}" to be ${article(type)}, got ${describe(body[field])}`;
		}
		for (const [field, type] of Object.entries(optional)) {
			if (body[field] !== undefined && body[field] !== null && !hasType(body[field], type)) {
				return `expected "${field}" to be ${article(type)}, got ${describe(body[field])}`;
			}
		}
		return undefined;
	};
}

/** A JSON array, or an object holding one under `field`. */
export function expectList(field: string): ResponseCheck {
	return (body) => {
		if (Array.isArray(body)) return undefined;
		if (isJsonObject(body) && Array.isArray(body[field])) return undefined;
		return `expected a JSON array or an object with a "${field}" array, got ${describe(body)}`;
	};
}

/** Passes when any of the checks passes; else the first reason. */
export function oneOf(...checks: ResponseCheck[]): ResponseCheck {
	return (body) => {
		const reasons = checks.map((check) => check(body));
		return reasons.includes(undefined) ? undefined : reasons[0];
	};
}

/** An empty answer, or a JSON object. */
export const emptyOrJsonObject: ResponseCheck = (body) =>
	body === undefined || isJsonObject(body) ? undefined : `expected nothing or a JSON object, got ${describe(body)}`;

function article(type: FieldType): string {
	if (type === 'string|number') return 'a string or a number';
	return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
