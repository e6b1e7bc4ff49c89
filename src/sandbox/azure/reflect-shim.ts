/**
 * @peculiar/x509 depends on tsyringe, which refuses to load without a Reflect metadata polyfill
 * (normally the `reflect-metadata` package, which is not a dependency here). It only needs
 * get/define metadata, so a small WeakMap-backed version is installed before x509 is imported.
 */
type Key = unknown;
const store = new WeakMap<object, Map<string | symbol | undefined, Map<Key, unknown>>>();

function table(target: object, prop: string | symbol | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let t = byProp.get(prop);
  if (!t && create) {
    t = new Map();
    byProp.set(prop, t);
  }
  return t;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== "function") {
  const getOwn = (k: Key, target: object, prop?: string | symbol) => table(target, prop, false)?.get(k);
  const get = (k: Key, target: object, prop?: string | symbol): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const v = table(t, prop, false);
      if (v?.has(k)) return v.get(k);
    }
    return undefined;
  };
  const define = (k: Key, v: unknown, target: object, prop?: string | symbol) => {
    table(target, prop, true)!.set(k, v);
  };
  Object.assign(R, {
    getOwnMetadata: getOwn,
    getMetadata: get,
    hasOwnMetadata: (k: Key, t: object, p?: string | symbol) => table(t, p, false)?.has(k) ?? false,
    hasMetadata: (k: Key, t: object, p?: string | symbol) => get(k, t, p) !== undefined,
    defineMetadata: define,
    metadata: (k: Key, v: unknown) => (target: object, prop?: string | symbol) => define(k, v, target, prop),
  });
}
export {};
