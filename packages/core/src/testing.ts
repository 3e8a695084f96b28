/**
 * Helpers for the packages' tests (`@backtest/core/testing`, not part of the plugin API): the
 * error a call throws or a promise rejects with, so that a test can assert on its fields.
 */

/** What `f` throws, which must be a `type`; anything else thrown fails the test as it is. */
export function thrownBy<E extends Error>(f: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    f();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}, nothing was thrown`);
}

/** What `promise` rejects with (a `type`, when given); a promise that resolves fails the test. */
export async function rejectionOf<E extends Error = Error>(promise: Promise<unknown>, type?: abstract new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (e) {
    if (type === undefined || e instanceof type) return e as E;
    throw e;
  }
  throw new Error(`expected ${type ? `a ${type.name}` : 'a failure'}, the promise resolved`);
}
