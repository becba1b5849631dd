// The shape every dashboard language must have: vi's keys, a string where vi
// has a string, a function of the same argument where vi has a function.
import type { vi } from './vi';

type Vi = typeof vi;

export type Messages = {
  readonly [K in keyof Vi]: Vi[K] extends (a: infer A) => string ? (a: A) => string : string;
};

/** The argument a message takes: none for plain strings. */
export type MessageArgs<K extends keyof Vi> = Vi[K] extends (a: infer A) => string ? [args: A] : [];
