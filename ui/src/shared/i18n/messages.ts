// The shape every language must have: the keys of `vi`, with a string where vi
// has a string and a function of the same argument where vi has a function.
// `export const en: Messages = {...}` then fails to compile when a key is
// missing or extra, or a function takes other arguments.
import type { vi } from './vi';

type Vi = typeof vi;

export type Messages = {
  readonly [K in keyof Vi]: Vi[K] extends (a: infer A) => string ? (a: A) => string : string;
};

/** The argument a message takes: none for plain strings. */
export type MessageArgs<K extends keyof Vi> = Vi[K] extends (a: infer A) => string ? [args: A] : [];
