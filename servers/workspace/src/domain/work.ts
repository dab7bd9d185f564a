/**
 * A count of the work the workspace's own algorithms do, in steps: a byte examined while matching
 * an edit, a content byte read or a diff step taken for a patch. Calls add to it as they go; tests
 * read it to show that a call's work grows at most linearly with its input and stays under a bound.
 */
export const work = { steps: 0 };

export function addWork(steps: number): void {
  work.steps += steps;
}
