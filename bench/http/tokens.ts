import { tokenCommand } from '../../src/cli/commands/token.command';
import type { Actor } from '../../src/shared/actor';

/**
 * Bearer tokens minted exactly as `seizure-ledger token` mints them (the same command, run in
 * this process), with the secret the measured server is given.
 */
export class TokenMinter {
  private readonly minted = new Map<string, string>();

  constructor(
    private readonly jwtSecret: string,
    private readonly cwd: string,
  ) {}

  async tokenFor(actor: Actor): Promise<string> {
    const key = JSON.stringify(actor);
    const cached = this.minted.get(key);
    if (cached) return cached;
    const scope = actor.scope.national
      ? ['--national']
      : [
          ...(actor.scope.states.length ? ['--states', actor.scope.states.join(',')] : []),
          ...(actor.scope.districts.length ? ['--districts', actor.scope.districts.join(',')] : []),
        ];
    const args = [
      '--sub',
      actor.sub,
      '--name',
      actor.name,
      '--roles',
      actor.roles.join(','),
      '--unit',
      actor.unit,
      '--agency',
      actor.agency,
      ...scope,
      '--ttl',
      '12h',
    ];
    let out = '';
    let err = '';
    const code = await tokenCommand.run(args, {
      env: { JWT_SECRET: this.jwtSecret },
      cwd: this.cwd,
      stdout: (text) => (out += text),
      stderr: (text) => (err += text),
    });
    if (code !== 0 || out.trim() === '') throw new Error(`the token command failed for ${actor.sub}: ${err}`);
    const token = out.trim();
    this.minted.set(key, token);
    return token;
  }
}
