import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Compares a secret a caller sent with the expected one in constant time: both are hashed first, so
 * neither the content nor the length of the secret shows in the time taken.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
	if (given === undefined || given === '' || expected === '') return false;
	return timingSafeEqual(digest(given), digest(expected));
}
