// Jest reporter for npm run bench: collects the rows the benchmarks record and prints them, after
// jest's own summary, as one table together with the machine it ran on. The same table is written to
// .cache/bench/results.md for bench/RESULTS.md.
const { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const RESULTS_FILE_VARIABLE = 'CHAT_BRIDGE_BENCH_RESULTS';
const SECTIONS = ['Trigger overhead', 'Action throughput', 'Reconnect', 'Memory', 'Webhook triggers in real n8n', 'Routing in real n8n', 'Queue mode'];
const COLUMNS = ['Section', 'Subject', 'Figure', 'Measured', 'Baseline (same run)', 'Ratio / added', 'Basis', 'Target', 'Met', 'Note'];

class TableReporter {
	constructor(globalConfig) {
		this.rootDir = globalConfig.rootDir;
		this.file = path.join(os.tmpdir(), `chat-bridge-bench-${process.pid}-${Date.now()}.jsonl`);
		writeFileSync(this.file, '');
		process.env[RESULTS_FILE_VARIABLE] = this.file;
		this.started = { at: new Date(), load: os.loadavg() };
	}

	onRunComplete(_contexts, results) {
		const rows = readRows(this.file);
		rmSync(this.file, { force: true });
		const machine = describeMachine(this.started, results);
		const table = renderTable(rows);
		process.stdout.write(`\n${machine}\n\n${table}\n`);
		const outDir = path.join(this.rootDir, '.cache', 'bench');
		mkdirSync(outDir, { recursive: true });
		writeFileSync(path.join(outDir, 'results.md'), `${machine}\n\n${table}\n`);
		process.stdout.write(`\nWritten to ${path.relative(process.cwd(), path.join(outDir, 'results.md'))}\n`);
	}
}

function readRows(file) {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line))
		.sort((a, b) => SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section));
}

function describeMachine(started, results) {
	const cpus = os.cpus();
	const load = (values) => values.map((value) => value.toFixed(2)).join(' / ');
	const minutes = ((Date.now() - started.at.getTime()) / 60000).toFixed(1);
	return [
		`Machine: ${os.availableParallelism()} CPUs (nproc) ${cpus[0] ? `(${cpus[0].model.trim()})` : ''}, ` +
			`${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}`,
		`Load average (1/5/15 min): ${load(started.load)} at the start, ${load(os.loadavg())} at the end; ` +
			`run of ${started.at.toISOString()}, ${minutes} min, ${results.numFailedTests} failed benchmark(s)`,
	].join('\n');
}

function renderTable(rows) {
	if (rows.length === 0) return '(no benchmark recorded a figure)';
	const lines = rows.map((row) => [
		row.section,
		row.subject,
		row.metric,
		formatValue(row.value, row.unit),
		row.baseline ? `${formatValue(row.baseline.value, row.unit)} (${row.baseline.label})` : '-',
		comparison(row),
		row.basis,
		row.target,
		row.met === undefined ? '' : row.met ? 'yes' : 'NO',
		row.note ?? '',
	]);
	const widths = COLUMNS.map((title, index) => Math.max(title.length, ...lines.map((line) => line[index].length)));
	const render = (cells) => `| ${cells.map((cell, index) => cell.padEnd(widths[index])).join(' | ')} |`;
	return [render(COLUMNS), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n');
}

function comparison(row) {
	if (!row.baseline) return '-';
	if (row.compare === 'difference') {
		const added = row.value - row.baseline.value;
		return `${added >= 0 ? '+' : '-'}${formatValue(Math.abs(added), row.unit)}`;
	}
	return row.baseline.value === 0 ? '-' : `${(row.value / row.baseline.value).toFixed(2)}x`;
}

function formatValue(value, unit) {
	if (unit === 'ms') return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;
	if (unit === 'MB' || unit === 'KB') return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ${unit}`;
	return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

module.exports = TableReporter;
