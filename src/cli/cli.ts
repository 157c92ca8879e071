// The bundle's entry (vite.cli.config.ts builds it into dist-cli/cai-lab.mjs; bin/cai-lab.mjs runs it).
import { main } from './main';

const code = await main(process.argv.slice(2));
// Open keep-alive sockets to the servers would hold the process a few seconds more.
process.stderr.write('', () => process.exit(code));
