import type { AppModuleOptions } from '../../src/app.module';
import { FROM_SOURCES } from './cli-process';

/** Tests run the sources: the projector's worker thread loads them through the same cached transpiler as child processes. */
export const FROM_SOURCES_APP_OPTIONS: AppModuleOptions = { projectorWorkerExecArgv: [...FROM_SOURCES] };
