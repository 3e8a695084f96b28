/**
 * Seeds of named random streams: a stream's seed comes from the run's seed and a stable name
 * (a configuration's label and the stream's purpose), never from a list position, so one
 * configuration's statistics do not depend on what else runs beside it.
 */

/** murmur3's 32-bit finaliser: nearby inputs give unrelated outputs. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The seed (0 .. 2^32 - 1) of stream `name` of a run seeded `seed`: FNV-1a of the name's UTF-16 code units, mixed with the seed. */
export function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return fmix32(fmix32(seed) ^ fmix32(h));
}
