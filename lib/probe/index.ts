// Filled in by the probe work; see the issue tracker.
export {};
