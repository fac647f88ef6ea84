// The lineage of an item: its ancestors from the specimen down to it, one GET per level
// (a few requests, bounded by the depth of the hierarchy).
import { get } from './api.js';
import { entityPath, levels } from './levels.js';

const MAX_DEPTH = 16; // specimen … section, nested ROIs, acquisition, tile

/** [{ level, key, doc }, …] from the specimen down to the item itself. */
export async function lineage(level, key) {
  const chain = [];
  let current = [level, key];
  while (current && chain.length < MAX_DEPTH) {
    const [lv, k] = current;
    const def = levels[lv];
    const doc = await get(entityPath(lv, k), { $select: def.select.join(',') });
    chain.unshift({ level: lv, key: doc[def.key], doc });
    current = def.parent ? def.parent(doc) : null;
  }
  return chain;
}
