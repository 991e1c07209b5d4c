export interface TestOccurrences {
  /** One identity per item, in item order: the key itself, or `key #n` for its n-th occurrence (n ≥ 2). */
  ids: string[];
  /** How many keys occur more than once. */
  repeated: number;
}

/**
 * Tells apart the tests of one report that share an identity. Same-named test cases are distinct tests
 * (`test.each` or `it.each` without `%s` in the title, a loop in node:test, jest-junit suites that all
 * get the name "undefined"); the second occurrence of `a › b` becomes `a › b #2`, the third `a › b #3`,
 * by order in the report, so the same report gives the same identities on every run. An identity that
 * the report already holds as a real key is never handed out twice: numbering skips it.
 *
 * Repeats that are attempts of one test are the parser's business (it folds them before this runs):
 * counting them here as separate tests is the safe side — a failure is never hidden as a retry.
 */
export function numberOccurrences<T>(items: readonly T[], keyOf: (item: T) => string): TestOccurrences {
  const keys = items.map(keyOf);
  const seen = new Map<string, number>();
  let repeated = 0;
  const ids = keys.slice();
  let taken: Set<string> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const count = seen.get(key);
    if (count === undefined) {
      seen.set(key, 1);
      continue;
    }
    if (count === 1) repeated++;
    taken ??= new Set(keys);
    let n = count + 1;
    while (taken.has(`${key} #${n}`)) n++;
    const id = `${key} #${n}`;
    taken.add(id);
    seen.set(key, n);
    ids[i] = id;
  }
  return { ids, repeated };
}
