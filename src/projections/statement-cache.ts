import type { Database, Statement } from 'better-sqlite3';

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

/**
 * A query's statements whose SQL text varies with the filters given: each distinct text is
 * prepared once. The texts are built from a fixed set of clauses, so they are few and bounded.
 */
export class StatementsBySql<Row> {
  private readonly bySql = new Map<string, Statement<unknown[], Row>>();

  constructor(private readonly db: Database) {}

  for(sql: string): Statement<unknown[], Row> {
    let statement = this.bySql.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], Row>(sql);
      this.bySql.set(sql, statement);
    }
    return statement;
  }
}
