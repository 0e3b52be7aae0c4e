"""The hostile-input suite: the whole app fed feeds and pages written to break it."""
