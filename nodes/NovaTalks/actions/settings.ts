import type { IDataObject } from 'n8n-workflow';

import { novaTalksRequest } from '../client';
import { ROUTES } from '../protocol';
import { withItem, type Operation } from './context';

const get: Operation = async function (itemIndex, { connection }) {
	const settings = await novaTalksRequest<unknown>(this, connection, { method: 'GET', path: ROUTES.settings, itemIndex });
	const json = settings && typeof settings === 'object' && !Array.isArray(settings) ? settings : { settings };
	return [withItem(json as IDataObject, itemIndex)];
};

export const settingsOperations: Record<string, Operation> = { get };
