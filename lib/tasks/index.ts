// Filled in by the tasks work; see the issue tracker.
export {};
