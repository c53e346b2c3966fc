// Filled in by the train work; see the issue tracker.
export {};
