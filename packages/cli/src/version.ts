// wardwatch's version, as evidence packs record the software that made them. Imported rather than read
// from disk at run time, so the compiled command (dist/, where no package.json sits at the same
// relative place) carries it in.
import cliPackage from '../package.json' with { type: 'json' };

export const WARDWATCH_VERSION: string = cliPackage.version;
