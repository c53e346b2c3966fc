// Filled in by the stats work; see the issue tracker.
export {};
