import type { Database } from 'better-sqlite3';

/**
 * A projection's prepared statements, made once per connection on first use rather than per
 * event. `forget` is called when the projection's tables are dropped or created, so that no
 * statement outlives the table it was prepared against.
 */
export class StatementCache<Statements> {
  private readonly byDb = new WeakMap<Database, Statements>();

  constructor(private readonly prepare: (db: Database) => Statements) {}

  for(db: Database): Statements {
    let statements = this.byDb.get(db);
    if (statements === undefined) {
      statements = this.prepare(db);
      this.byDb.set(db, statements);
    }
    return statements;
  }

  forget(db: Database): void {
    this.byDb.delete(db);
  }
}
