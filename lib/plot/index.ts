// Filled in by the plot work; see the issue tracker.
export {};
