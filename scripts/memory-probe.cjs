'use strict';
/**
 * What the built server's memory is made of, written while it runs: preload it into the server
 * (`NODE_OPTIONS="-r ./scripts/memory-probe.cjs" MEMORY_PROBE_OUT=probe.json node dist/main.js`,
 * or around `npm run bench`, whose server inherits both variables). Every few seconds it rewrites
 * `MEMORY_PROBE_OUT` with the last and the largest breakdown: the process's resident set, each
 * thread's V8 heap by space (the worker's through the inspector, which Node 20 offers in-process),
 * external and ArrayBuffer memory, and every SQLite connection this thread opened with its cache and
 * mmap settings. A diagnostic only: nothing in the server depends on it.
 * MEMORY_PROBE_INTERVAL_MS sets the period (default 2000).
 */
const { isMainThread } = require('node:worker_threads');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const out = process.env.MEMORY_PROBE_OUT;
const isServer = /dist[\\/]main\.js$/.test(process.argv[1] ?? '');

// MEMORY_PROBE_GC=1: a full collection in each thread before each sample, so the heaps show what
// is alive rather than what V8 has not collected yet (the figures then no longer match the bench's).
const collectGarbage = process.env.MEMORY_PROBE_GC === '1';

if (isMainThread && isServer && out) startProbe(out, Number(process.env.MEMORY_PROBE_INTERVAL_MS ?? 2000));

function startProbe(file, intervalMs) {
  const connections = trackSqliteConnections();
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const workers = new Map();
  let nextId = 1;
  const pending = new Map();
  session.on('NodeWorker.attachedToWorker', ({ params }) => workers.set(params.sessionId, params.workerInfo.url));
  session.on('NodeWorker.detachedFromWorker', ({ params }) => workers.delete(params.sessionId));
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const message = JSON.parse(params.message);
    const resolve = pending.get(message.id);
    if (resolve) {
      pending.delete(message.id);
      resolve(message.result?.result?.value);
    }
  });
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });

  const toWorker = (sessionId, method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) });
      setTimeout(() => pending.delete(id) && resolve(undefined), 1000).unref();
    });
  const inWorker = async (sessionId) => {
    if (collectGarbage) await toWorker(sessionId, 'HeapProfiler.collectGarbage', {});
    const expression = `JSON.stringify((${threadBreakdown.toString()})(require('node:v8')))`;
    return toWorker(sessionId, 'Runtime.evaluate', { expression, includeCommandLineAPI: true, returnByValue: true });
  };

  let largest = null;
  const sample = async () => {
    if (collectGarbage) await new Promise((resolve) => session.post('HeapProfiler.collectGarbage', resolve));
    const threads = [{ thread: 'main', ...threadBreakdown(v8), sqlite: sqliteBreakdown(connections) }];
    for (const [sessionId, url] of workers) {
      const value = await inWorker(sessionId);
      if (value) threads.push({ thread: `worker ${path.basename(url)}`, ...JSON.parse(value) });
    }
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) / 1024;
    const memory = process.memoryUsage();
    const last = {
      at: new Date().toISOString(),
      rssMb: kb('VmRSS'),
      peakRssMb: kb('VmHWM'),
      anonMb: kb('RssAnon'),
      fileMb: kb('RssFile'),
      processExternalMb: memory.external / 2 ** 20,
      threads,
    };
    if (largest === null || last.rssMb >= largest.rssMb) largest = last;
    writeFileSync(file, JSON.stringify({ last, largest }, null, 2));
  };
  setInterval(() => void sample().catch(() => undefined), intervalMs).unref();
}

/** Runs in each thread (the worker gets its source through the inspector): this isolate's heap. */
function threadBreakdown(v8) {
  const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const heap = v8.getHeapStatistics();
  const spaces = {};
  for (const space of v8.getHeapSpaceStatistics()) {
    spaces[space.space_name] = {
      usedMb: mb(space.space_used_size),
      sizeMb: mb(space.space_size),
      committedMb: mb(space.physical_space_size),
    };
  }
  const usage = process.memoryUsage();
  return {
    heapUsedMb: mb(heap.used_heap_size),
    heapTotalMb: mb(heap.total_heap_size),
    heapCommittedMb: mb(heap.total_physical_size),
    heapLimitMb: mb(heap.heap_size_limit),
    mallocedMb: mb(heap.malloced_memory),
    externalMb: mb(heap.external_memory),
    arrayBuffersMb: mb(usage.arrayBuffers),
    nativeContexts: heap.number_of_native_contexts,
    spaces,
  };
}

/** better-sqlite3 connections seen preparing a statement (every connection does). */
function trackSqliteConnections() {
  const seen = new Set();
  try {
    const Database = require(require.resolve('better-sqlite3', { paths: [process.cwd()] }));
    const prepare = Database.prototype.prepare;
    Database.prototype.prepare = function (...args) {
      seen.add(this);
      return prepare.apply(this, args);
    };
  } catch {
    // Not installed where the server runs: no SQLite figures.
  }
  return seen;
}

function sqliteBreakdown(connections) {
  const rows = [];
  for (const db of connections) {
    if (!db.open) {
      connections.delete(db);
      continue;
    }
    const pragma = (name) => db.pragma(name, { simple: true });
    const cacheSize = pragma('cache_size');
    const pageSize = pragma('page_size');
    rows.push({
      file: path.basename(db.name),
      readonly: db.readonly,
      cacheLimitMb: Math.round(((cacheSize < 0 ? -cacheSize * 1024 : cacheSize * pageSize) / 2 ** 20) * 10) / 10,
      fileMb: Math.round(((pragma('page_count') * pageSize) / 2 ** 20) * 10) / 10,
      mmapMb: pragma('mmap_size') / 2 ** 20,
      tempStore: pragma('temp_store'),
    });
  }
  return rows;
}
