// Where things are: the repository root, the built package, the mock's binary.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The built npm package (`make build`). */
export const PKG = join(ROOT, 'pkg');
/** The demo's sources. */
export const WWW = join(ROOT, 'www');
/** The mock Frontend API (`cargo build -p fapi-mock`); FAPI_MOCK_BIN overrides. */
export const MOCK_BIN = process.env.FAPI_MOCK_BIN || join(ROOT, 'target', 'debug', 'fapi-mock');
