import express from 'express';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * n8n's public API for Data Tables (`/api/v1/data-tables`), as measured on n8n 2.41.1
 * (shared facts: data-tables-public-api.md): API-key auth with scopes, the name filter as a
 * case-insensitive substring match with `_` and `%` as wildcards, 409 for a duplicate name, row filters
 * as `{type:"and", filters:[{columnName, condition, value}]}`, `sortBy` refused unless percent-encoded,
 * typed columns, and the answer shapes the published OpenAPI file does not show. Strict: unknown
 * columns, wrong types and malformed filters are refused with 400, as n8n does.
 */

type ColumnType = 'string' | 'number' | 'boolean' | 'date';
interface Column {
	name: string;
	type: ColumnType;
}
interface Table {
	id: string;
	name: string;
	columns: Column[];
	rows: Row[];
	nextRowId: number;
}
type Row = Record<string, unknown> & { id: number };
interface Condition {
	columnName: string;
	condition: string;
	value?: unknown;
}

export const ALL_SCOPES = [
	'dataTable:create',
	'dataTable:read',
	'dataTable:list',
	'dataTableRow:create',
	'dataTableRow:read',
	'dataTableRow:update',
	'dataTableRow:upsert',
	'dataTableRow:delete',
];

const COLUMN_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;

export class DataTablesEmulator {
	readonly tables = new Map<string, Table>();
	readonly calls: Array<{ method: string; path: string }> = [];
	private readonly failures: Array<{ status: number; method?: string }> = [];

	private constructor(
		private readonly server: http.Server,
		readonly apiKey: string,
		private scopes: Set<string>,
	) {}

	get baseUrl(): string {
		const { port } = this.server.address() as AddressInfo;
		return `http://127.0.0.1:${port}`;
	}

	static async start(options: { apiKey?: string; scopes?: string[] } = {}): Promise<DataTablesEmulator> {
		const app = express();
		const server = await new Promise<http.Server>((resolve) => {
			const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
		});
		const emulator = new DataTablesEmulator(server, options.apiKey ?? 'n8n-api-key-for-tests', new Set(options.scopes ?? ALL_SCOPES));
		app.use(express.json());
		app.use((req, res, next) => emulator.guard(req, res, next));
		app.get('/api/v1/data-tables', (req, res) => emulator.listTables(req, res));
		app.post('/api/v1/data-tables', (req, res) => emulator.createTable(req, res));
		app.get('/api/v1/data-tables/:id/rows', (req, res) => emulator.getRows(req, res));
		app.post('/api/v1/data-tables/:id/rows', (req, res) => emulator.insertRows(req, res));
		app.patch('/api/v1/data-tables/:id/rows/update', (req, res) => emulator.updateRows(req, res));
		app.use((_req, res) => res.status(404).json({ message: 'not found' }));
		return emulator;
	}

	setScopes(scopes: string[]): void {
		this.scopes = new Set(scopes);
	}

	/** The next `times` calls (of `method` only, when given) are answered with `status` (after auth). */
	failNext(status: number, times = 1, method?: 'GET' | 'POST' | 'PATCH'): void {
		for (let i = 0; i < times; i++) this.failures.push({ status, method });
	}

	rowsOf(name: string): Row[] {
		return [...this.tables.values()].find((table) => table.name === name)?.rows ?? [];
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}

	private guard(req: express.Request, res: express.Response, next: express.NextFunction): void {
		this.calls.push({ method: req.method, path: req.path });
		const key = req.get('x-n8n-api-key');
		if (!key || key !== this.apiKey) {
			res.status(401).json({ message: "'X-N8N-API-KEY' header required" });
			return;
		}
		const scope = scopeOf(req);
		if (scope && !this.scopes.has(scope)) {
			res.status(403).json({ message: 'Forbidden' });
			return;
		}
		const index = this.failures.findIndex((failure) => failure.method === undefined || failure.method === req.method);
		if (index !== -1) {
			const [failure] = this.failures.splice(index, 1);
			res.status(failure.status).json({ message: 'Injected fault' });
			return;
		}
		next();
	}

	private listTables(req: express.Request, res: express.Response): void {
		const filter = parseJson(req.query.filter);
		if (filter === null) return void res.status(400).json({ message: 'filter is not valid JSON' });
		const name = typeof (filter as { name?: unknown } | undefined)?.name === 'string' ? (filter as { name: string }).name : undefined;
		const like = name === undefined ? undefined : likePattern(name);
		const data = [...this.tables.values()]
			.filter((table) => like === undefined || like.test(table.name))
			.map(({ id, name: tableName, columns }) => ({ id, name: tableName, columns }));
		res.json({ data, nextCursor: null });
	}

	private createTable(req: express.Request, res: express.Response): void {
		const body = req.body as { name?: unknown; columns?: unknown };
		if (typeof body.name !== 'string' || body.name.trim() === '') return void res.status(400).json({ message: 'name is required' });
		if ([...this.tables.values()].some((table) => table.name === body.name)) {
			return void res.status(409).json({ message: `Data table with name '${body.name}' already exists in this project` });
		}
		const columns = Array.isArray(body.columns) ? (body.columns as Column[]) : [];
		for (const column of columns) {
			if (!COLUMN_NAME.test(String(column?.name)) || !['string', 'number', 'boolean', 'date'].includes(column?.type)) {
				return void res.status(400).json({ message: `Invalid column ${JSON.stringify(column)}` });
			}
		}
		const table: Table = { id: randomBytes(8).toString('hex'), name: body.name, columns, rows: [], nextRowId: 1 };
		this.tables.set(table.id, table);
		res.status(201).json({ id: table.id, name: table.name, columns });
	}

	private getRows(req: express.Request, res: express.Response): void {
		const table = this.table(req, res);
		if (!table) return;
		const rawQuery = req.originalUrl.split('?')[1] ?? '';
		if (/(^|&)sortBy=[^&]*:/.test(rawQuery)) return void res.status(400).json({ message: 'sortBy must be "column:direction", URL-encoded' });
		const matches = this.matcher(table, req.query.filter, res);
		if (!matches) return;
		let rows = table.rows.filter(matches);
		const sortBy = typeof req.query.sortBy === 'string' ? req.query.sortBy : undefined;
		if (sortBy) {
			const [column, direction] = sortBy.split(':');
			if (column !== 'id' && !table.columns.some((entry) => entry.name === column)) return void res.status(400).json({ message: `Unknown column ${column}` });
			const sign = direction === 'desc' ? -1 : 1;
			rows = [...rows].sort((a, b) => (a[column] === b[column] ? 0 : (a[column] as number) > (b[column] as number) ? sign : -sign));
		}
		const limit = Math.min(250, Number(req.query.limit ?? 100) || 100);
		const offset = Number(req.query.cursor ?? 0) || 0;
		const page = rows.slice(offset, offset + limit);
		res.json({ data: page, nextCursor: offset + limit < rows.length ? String(offset + limit) : null });
	}

	private insertRows(req: express.Request, res: express.Response): void {
		const table = this.table(req, res);
		if (!table) return;
		const body = req.body as { data?: unknown; returnType?: unknown };
		if (!Array.isArray(body.data) || body.data.length === 0) return void res.status(400).json({ message: 'data must be a non-empty array' });
		const inserted: Row[] = [];
		for (const values of body.data as Array<Record<string, unknown>>) {
			const problem = this.checkValues(table, values);
			if (problem) return void res.status(400).json({ message: problem });
			const now = new Date().toISOString();
			const row: Row = { id: table.nextRowId++, ...blankRow(table), ...values, createdAt: now, updatedAt: now };
			inserted.push(row);
		}
		table.rows.push(...inserted);
		if (body.returnType === 'all') return void res.json(inserted);
		if (body.returnType === 'id') return void res.json(inserted.map((row) => ({ id: row.id })));
		res.json({ success: true, insertedRows: inserted.length });
	}

	private updateRows(req: express.Request, res: express.Response): void {
		const table = this.table(req, res);
		if (!table) return;
		const body = req.body as { filter?: unknown; data?: Record<string, unknown>; returnData?: boolean };
		if (!body.filter) return void res.status(400).json({ message: 'filter is required' });
		const matches = this.matcher(table, JSON.stringify(body.filter), res);
		if (!matches) return;
		const problem = this.checkValues(table, body.data ?? {});
		if (problem) return void res.status(400).json({ message: problem });
		const updated = table.rows.filter(matches);
		for (const row of updated) Object.assign(row, body.data, { updatedAt: new Date().toISOString() });
		res.json(body.returnData ? updated : true);
	}

	private table(req: express.Request, res: express.Response): Table | undefined {
		const id = String(req.params.id);
		if (!/^[a-zA-Z0-9]{16}$/.test(id)) return void res.status(400).json({ message: 'Invalid data table id' });
		const table = this.tables.get(id);
		if (!table) res.status(404).json({ message: `Could not find the data table: '${id}'` });
		return table;
	}

	private checkValues(table: Table, values: Record<string, unknown>): string | undefined {
		for (const [name, value] of Object.entries(values)) {
			const column = table.columns.find((entry) => entry.name === name);
			if (!column) return `unknown column '${name}'`;
			if (value === null) continue;
			const ok =
				(column.type === 'string' && typeof value === 'string') ||
				(column.type === 'number' && typeof value === 'number') ||
				(column.type === 'boolean' && typeof value === 'boolean') ||
				(column.type === 'date' && typeof value === 'string' && !Number.isNaN(Date.parse(value)));
			if (!ok) return `value ${JSON.stringify(value)} does not match column type ${column.type} of '${name}'`;
		}
		return undefined;
	}

	private matcher(table: Table, rawFilter: unknown, res: express.Response): ((row: Row) => boolean) | undefined {
		const filter = parseJson(rawFilter) as { type?: string; filters?: Condition[] } | null | undefined;
		if (filter === null || (filter !== undefined && (!Array.isArray(filter.filters) || !['and', 'or'].includes(String(filter.type ?? 'and'))))) {
			return void res.status(400).json({ message: 'filter must be {type, filters: [...]}' });
		}
		const conditions = filter?.filters ?? [];
		for (const condition of conditions) {
			if (condition.columnName !== 'id' && !table.columns.some((column) => column.name === condition.columnName)) {
				return void res.status(400).json({ message: `Unknown column '${condition.columnName}' in filter` });
			}
		}
		const test = (row: Row, condition: Condition) => {
			const value = row[condition.columnName];
			switch (condition.condition) {
				case 'eq':
					return value === condition.value;
				case 'neq':
					return value !== condition.value;
				case 'gt':
					return (value as number) > (condition.value as number);
				case 'gte':
					return (value as number) >= (condition.value as number);
				case 'lt':
					return (value as number) < (condition.value as number);
				case 'lte':
					return (value as number) <= (condition.value as number);
				default:
					return false;
			}
		};
		return (row) => (filter?.type === 'or' ? conditions.some((c) => test(row, c)) : conditions.every((c) => test(row, c)));
	}
}

function scopeOf(req: express.Request): string | undefined {
	const rows = /\/rows/.test(req.path);
	if (req.method === 'GET') return rows ? 'dataTableRow:read' : req.path === '/api/v1/data-tables' ? 'dataTable:list' : 'dataTable:read';
	if (req.method === 'POST') return rows ? 'dataTableRow:create' : 'dataTable:create';
	if (req.method === 'PATCH') return 'dataTableRow:update';
	return undefined;
}

function parseJson(value: unknown): unknown {
	if (value === undefined) return undefined;
	if (typeof value !== 'string') return null;
	try {
		return JSON.parse(value);
	} catch {
		return null;
	}
}

/** n8n's name filter: a case-insensitive LIKE '%name%' where `_` and `%` in the name are wildcards. */
function likePattern(name: string): RegExp {
	const body = name
		.split('')
		.map((char) => (char === '_' ? '.' : char === '%' ? '.*' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
		.join('');
	return new RegExp(body, 'i');
}

function blankRow(table: Table): Record<string, unknown> {
	return Object.fromEntries(table.columns.map((column) => [column.name, null]));
}
