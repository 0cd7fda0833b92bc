// A lean child process for measurements that jest's own process would blur (its heap holds the
// transpiler and every loaded test module): it loads one TypeScript module of the benchmarks, calls
// its `probe(argument)` and sends the result to the parent over IPC ({result} or {error}).
require('./register-ts');
require('../../test/helpers/environment.ts');

const [modulePath, argument] = process.argv.slice(2);

require(modulePath)
	.probe(argument)
	.then(
		(result) => ({ result }),
		(error) => ({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
	)
	.then((message) => process.send(message, () => process.exit(0)));
