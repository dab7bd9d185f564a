/**
 * `@sessionless/kit/testing/lean-path`: the lean path's differential test bench and its corpus
 * (hand-picked and fast-check-generated requests). Apart from `@sessionless/kit/testing` because
 * it needs fast-check, a development dependency, which the harness does not.
 */
export { Differential, type DifferentialOptions, type Exchange, type Outcome } from './differential.js';
export { leanCorpus, modernExchange, type LeanCorpus, type ToolCall, type Variant } from './lean-corpus.js';
