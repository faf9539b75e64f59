import { readFileSync } from 'node:fs';

/**
 * `node dist/bench/profile-summary.js <file.cpuprofile> [top]`: self time by function and by
 * package / library folder, to read a `--cpu-prof` capture of a bench server (`npm run bench
 * -- --phases=main --only=<id> --cpu-prof=<id>`) without DevTools.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...self.values()].reduce((sum, value) => sum + value, 0);

function where(url: string): string {
  if (url === '') return '(native/V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return pkg[1]!;
  const lib = /dist\/(libs\/mcp\/src\/[^/]+(?:\/[^/]+)?)/.exec(url);
  if (lib !== null) return lib[1]!.replace(/\.js$/, '');
  if (url.startsWith('node:')) return url;
  return url.replace(/^.*\/dist\//, '');
}

const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const [id, time] of self) {
  const frame = byId.get(id)!.callFrame;
  const key = `${frame.functionName || '(anonymous)'}  ${where(frame.url)}:${frame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  const place = where(frame.url);
  byPlace.set(place, (byPlace.get(place) ?? 0) + time);
}
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [key, time] of [...map].toSorted((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((time / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`);
  }
};
print('self time by package / library folder', byPlace);
print('self time by function', byFunction);
