import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './errors';
import { apiRequest, type RequestContext } from './http';

/** The credential type that holds the n8n API key used to reach n8n's own Data Tables. */
export const STORE_CREDENTIAL_TYPE = 'chatBridgeApi';

export type ColumnType = 'string' | 'number' | 'boolean' | 'date';
export interface ColumnSpec {
	name: string;
	type: ColumnType;
}
export interface TableSpec {
	name: string;
	columns: ColumnSpec[];
}

export type Row = IDataObject & { id?: number };

interface Condition {
	columnName: string;
	condition: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';
	value: string | number | boolean;
}

/** Rows where every given column equals its value. */
export function whereEquals(values: Record<string, string | number | boolean>): IDataObject {
	const filters: Condition[] = Object.entries(values).map(([columnName, value]) => ({ columnName, condition: 'eq', value }));
	return { type: 'and', filters } as unknown as IDataObject;
}

interface StoreCredentials {
	baseUrl?: string;
	apiKey?: string;
}

/** Table IDs by base URL and name: looked up once per process (tables are never renamed by this package). */
const tableIds = new Map<string, Promise<string>>();

/**
 * n8n's Data Tables, through n8n's public REST API with an API key: the one store a community node can
 * reach from action and trigger nodes alike, on every n8n process (n8n's in-process table helpers
 * refuse community node types). Tables are created on first use.
 */
export class DataTables {
	private constructor(
		private readonly ctx: RequestContext,
		private readonly apiUrl: string,
		private readonly apiKey: string,
	) {}

	/**
	 * Reads the store credential once. Its key is then sent as the header itself rather than through
	 * n8n's credential signing: a trigger calls the store from its own timers, after its activation,
	 * and n8n 2.x (its isolated expression engine) cannot resolve the credential's `{{$credentials.apiKey}}`
	 * there ("No bridge acquired for this context").
	 */
	static async connect(ctx: RequestContext): Promise<DataTables> {
		const credentials = await ctx.getCredentials<StoreCredentials>(STORE_CREDENTIAL_TYPE);
		return new DataTables(ctx, apiUrlOf(ctx, credentials.baseUrl), String(credentials.apiKey ?? ''));
	}

	async rows(table: TableSpec, filter: IDataObject, options: { limit?: number; sortBy?: string } = {}): Promise<Row[]> {
		const id = await this.tableId(table);
		const rows: Row[] = [];
		let cursor: string | undefined;
		const limit = options.limit ?? 1000;
		do {
			const query = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(Math.min(250, limit - rows.length)) });
			// n8n takes sortBy only percent-encoded (`id%3Aasc`): the query is encoded here, not left to the HTTP client.
			if (options.sortBy) query.set('sortBy', options.sortBy);
			if (cursor) query.set('cursor', cursor);
			const page = await this.call<{ data?: Row[]; nextCursor?: string | null }>('GET', `/data-tables/${id}/rows?${query.toString()}`, {});
			rows.push(...(page.data ?? []));
			cursor = page.nextCursor ?? undefined;
		} while (cursor && rows.length < limit);
		return rows;
	}

	async insert(table: TableSpec, row: IDataObject): Promise<Row> {
		const id = await this.tableId(table);
		const answer = await this.call<Row[] | { data?: Row[] }>('POST', `/data-tables/${id}/rows`, {
			body: { data: [row], returnType: 'all' },
		});
		const rows = Array.isArray(answer) ? answer : (answer.data ?? []);
		return rows[0] ?? row;
	}

	async update(table: TableSpec, filter: IDataObject, data: IDataObject): Promise<void> {
		const id = await this.tableId(table);
		await this.call('PATCH', `/data-tables/${id}/rows/update`, { body: { filter, data } });
	}

	private async tableId(table: TableSpec): Promise<string> {
		const key = `${this.apiUrl}\n${table.name}`;
		let id = tableIds.get(key);
		if (!id) {
			id = this.findOrCreate(table);
			tableIds.set(key, id);
			id.catch(() => tableIds.delete(key));
		}
		return await id;
	}

	private async findOrCreate(table: TableSpec): Promise<string> {
		const existing = await this.find(table.name);
		if (existing) return existing;
		try {
			const created = await this.call<{ id?: string }>('POST', '/data-tables', { body: { name: table.name, columns: table.columns } as unknown as IDataObject });
			if (typeof created.id === 'string') return created.id;
		} catch (error) {
			// Another process created it meanwhile (409): use theirs.
			const meanwhile = await this.find(table.name);
			if (meanwhile) return meanwhile;
			throw asNodeError(this.ctx.getNode(), error);
		}
		const found = await this.find(table.name);
		if (!found) throw new Error(`n8n created the data table ${table.name} but does not list it`);
		return found;
	}

	/** n8n's name filter is a case-insensitive substring match: the exact name is compared here. */
	private async find(name: string): Promise<string | undefined> {
		const query = new URLSearchParams({ filter: JSON.stringify({ name }), limit: '250' });
		const answer = await this.call<{ data?: Array<{ id?: string; name?: string }> }>('GET', `/data-tables?${query.toString()}`, {});
		return (answer.data ?? []).find((table) => table.name === name)?.id;
	}

	private async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, parts: { body?: IDataObject }): Promise<T> {
		return await apiRequest<T>(this.ctx, {
			method,
			url: `${this.apiUrl}${path}`,
			headers: { 'X-N8N-API-KEY': this.apiKey },
			secrets: [this.apiKey],
			body: parts.body,
			timeoutMs: 15_000,
			retry: { maxRetries: 2 },
		});
	}
}

/** `https://n8n.example.com` or `.../api/v1`: the public API's base either way. */
export function apiUrlOf(ctx: RequestContext, baseUrl: string | undefined): string {
	const trimmed = String(baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]+/i.test(trimmed)) {
		throw new NodeOperationError(ctx.getNode(), `The Chat Bridge credential's n8n URL "${trimmed}" is not an http(s) URL`, {
			description: 'Set it to the address of this n8n, for example http://localhost:5678',
		});
	}
	return /\/api\/v\d+$/.test(trimmed) ? trimmed : `${trimmed}/api/v1`;
}
