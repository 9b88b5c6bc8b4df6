import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { FONT_URL, loadConsoleAssets } from './console-assets';
import { answerConsoleRequest, isConsolePath, serveConsole, type ServedConsole } from './console-http';
import { SessionHttpController } from './session.http.controller';

/**
 * The web console at `/`: a page and plain ES modules under /console/, served by this server next
 * to the API it calls. The files are served by a middleware, ahead of the guards: they are public,
 * hold no data, and a page load (a few dozen small files) must not spend the caller's rate limit.
 * Every API route keeps its authentication and limits; none starts with /console/ or is `/`.
 */
@Module({ controllers: [SessionHttpController] })
export class ConsoleModule implements NestModule {
  private readonly logger = new Logger('WebConsole');
  private served: ServedConsole | undefined;

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(this.middleware)
      .forRoutes(
        { path: '/', method: RequestMethod.GET },
        { path: 'index.html', method: RequestMethod.GET },
        { path: 'console/{*file}', method: RequestMethod.GET },
      );
  }

  /**
   * Loaded on the first console request, not at start: running from the sources that means
   * transpiling them, which servers that never show the console (tests of the API) need not pay.
   */
  private console(): ServedConsole {
    if (this.served === undefined) {
      this.served = serveConsole(loadConsoleAssets(__dirname));
      const { files, totalBytes, totalGzipBytes, origin } = this.served;
      this.logger.log(
        `${files.size} files, ${Math.ceil(totalBytes / 1024)} KiB (${Math.ceil(totalGzipBytes / 1024)} KiB gzipped), ${origin}`,
      );
    }
    return this.served;
  }

  /** Running from the sources, a font is made on its first request, then served like every other file. */
  private async withLateFile(served: ServedConsole, path: string): Promise<ServedConsole> {
    if (served.files.has(path) || served.lateFiles === undefined || !path.startsWith(FONT_URL)) return served;
    for (const [latePath, file] of await served.lateFiles()) served.files.set(latePath, file);
    return served;
  }

  private readonly middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void => {
    // Express strips a mount path from `url`, never from `originalUrl`.
    const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '/';
    const path = new URL(url, 'http://localhost').pathname;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !isConsolePath(path)) return next();
    let served: ServedConsole;
    try {
      served = this.console();
    } catch (error) {
      return next(error);
    }
    this.withLateFile(served, path)
      .then((ready) => {
        if (!answerConsoleRequest(ready, path, request, response)) next();
      })
      .catch(next);
  };
}
