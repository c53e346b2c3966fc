// Filled in by the fss work; see the issue tracker.
export {};
