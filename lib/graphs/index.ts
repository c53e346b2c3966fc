// Filled in by the graphs work; see the issue tracker.
export {};
