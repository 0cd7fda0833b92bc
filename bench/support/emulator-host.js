// A child process that runs one provider emulator for the memory benchmarks, so the emulator's own
// memory (every message it stores) never counts towards the trigger's. The parent drives it over IPC:
// {id, method, args, times} calls a method (`times` times in a row, as one burst, when given) or reads
// a property (args undefined) and gets {id, result} or {id, error} back.
require('./register-ts');

const [modulePath, exportName, optionsJson] = process.argv.slice(2);

async function main() {
	const Emulator = require(modulePath)[exportName];
	const emulator = await Emulator.start(JSON.parse(optionsJson));
	process.on('message', async ({ id, method, args, times }) => {
		try {
			const member = emulator[method];
			let result = args === undefined ? member : await member.apply(emulator, args);
			for (let done = 1; done < (times ?? 1); done++) result = await member.apply(emulator, args);
			process.send({ id, result: result === undefined ? null : result });
		} catch (error) {
			process.send({ id, error: error instanceof Error ? error.message : String(error) });
		}
	});
	process.on('disconnect', () => {
		void emulator.close().finally(() => process.exit(0));
	});
	process.send({ ready: true });
}

main().catch((error) => {
	process.stderr.write(`emulator host failed: ${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
